import type { GapsReport } from '../store/question-log.js';

/** A page of `/gaps` as console text. */
export function renderGapsText(report: GapsReport): string {
  const date = (at: number): string => new Date(at).toISOString().slice(0, 16).replace('T', ' ');
  const lines = [
    `${report.asked} question(s) asked in the last ${report.days} day(s); ${report.unanswered} not answered, or answered with low confidence.`,
    `Question recording: ${report.status.text}`,
    '',
    `Not answered well (${report.groupCount} question(s), near-duplicates counted together):`,
    ...(report.groups.length === 0 ? ['  none in this period'] : []),
  ];
  report.groups.forEach((group, index) => {
    lines.push(`  ${report.groupOffset + index + 1}. ${group.question}  (${group.count} time(s), last ${date(group.lastAskedAt)} UTC)`);
    if (group.otherWordings.length > 0) lines.push(`     also asked as: ${group.otherWordings.map((wording) => `"${wording}"`).join(', ')}`);
  });
  lines.push('', `Quotes marked wrong (${report.wrongQuoteCount}):`, ...(report.wrongQuotes.length === 0 ? ['  none in this period'] : []));
  for (const wrong of report.wrongQuotes) {
    lines.push(`  ${wrong.passageId}: ${wrong.count} time(s), last for "${wrong.question}"`, `    > ${wrong.quote}`);
  }
  if (report.pageCount > 1) lines.push('', `Page ${report.page + 1} of ${report.pageCount}: /gaps page: ${Math.min(report.page + 2, report.pageCount)} shows the next.`);
  return lines.join('\n');
}
