import type { Config } from '../config/env.js';
import { semanticFromConfig } from '../semantic/semantic-search.js';
import { DEFAULT_LIBRARY_OPTIONS, type LibraryOptions } from './library.js';

/** The library's options as the environment sets them: file size limit, sentence model and cache, index snapshot (every entry point). */
export function libraryOptionsFromConfig(config: Config, log: (line: string) => void): LibraryOptions {
  return {
    ...DEFAULT_LIBRARY_OPTIONS,
    corpus: { ...DEFAULT_LIBRARY_OPTIONS.corpus, maxFileBytes: config.MAX_CORPUS_FILE_BYTES },
    semantic: semanticFromConfig(config, log),
    indexSnapshot: { directory: config.CACHE_DIR, log },
  };
}
