import { createPublicKey, verify, type KeyObject } from 'node:crypto';

/**
 * The DER header of an Ed25519 public key in SubjectPublicKeyInfo form (RFC 8410): Discord gives the bare 32-byte
 * key, node:crypto takes it wrapped.
 */
const ED25519_SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

/** Checks Discord's `X-Signature-Ed25519` over `X-Signature-Timestamp` + the raw body. */
export type SignatureCheck = (body: Buffer, signatureHex: string, timestamp: string) => boolean;

/** A checker for the application's public key (`DISCORD_PUBLIC_KEY`, 64 hex digits). */
export function signatureCheck(publicKeyHex: string): SignatureCheck {
  const key: KeyObject = createPublicKey({
    key: Buffer.concat([ED25519_SPKI_PREFIX, Buffer.from(publicKeyHex, 'hex')]),
    format: 'der',
    type: 'spki',
  });
  return (body, signatureHex, timestamp) => {
    // Buffer.from(hex) skips what is not hex: checked first so a malformed header is a plain "no".
    if (!/^[0-9a-f]{128}$/i.test(signatureHex)) return false;
    return verify(null, Buffer.concat([Buffer.from(timestamp, 'utf8'), body]), key, Buffer.from(signatureHex, 'hex'));
  };
}
