import { ButtonStyle, ComponentType, type APIButtonComponent } from 'discord-api-types/v10';
import type { GapsReport } from '../store/question-log.js';
import { gapsPageId } from './buttons.js';
import { blockQuote, clip, escapeInline, escapeText } from './markdown.js';
import { buttonRows, COLOURS, fitLines, LIMITS, type RenderedMessage } from './render.js';

/** Longest question or quote shown in `/gaps`, before escaping: enough to recognise it. */
const SHOWN_LENGTH = 180;

/** A page of `/gaps`: the questions not answered well, then the quotes marked wrong, with page buttons. */
export function renderGaps(report: GapsReport, ephemeral: boolean): RenderedMessage {
  const summary =
    `${report.asked} question(s) asked in the last ${report.days} day(s); ${report.unanswered} not answered, or answered with low confidence.\n` +
    `*Question recording: ${escapeText(report.status.text)}*`;
  const groupLines = report.groups.map((group, index) => {
    const number = report.groupOffset + index + 1;
    const others = group.otherWordings.map((wording) => `“${escapeInline(clip(wording, SHOWN_LENGTH))}”`).join(', ');
    const more = group.wordingCount - 1 - group.otherWordings.length;
    const also = others === '' ? '' : `\n   also asked as ${others}${more > 0 ? ` and ${more} more wording(s)` : ''}`;
    return `${number}. **${escapeInline(clip(group.question, SHOWN_LENGTH))}**: ${group.count} time(s), last ${when(group.lastAskedAt)}${also}`;
  });
  const wrongLines = report.wrongQuotes.map(
    (wrong) =>
      `\`${escapeInline(wrong.passageId)}\`: marked wrong ${wrong.count} time(s), last for “${escapeInline(clip(wrong.question, SHOWN_LENGTH))}”\n` +
      blockQuote(escapeInline(clip(wrong.quote, SHOWN_LENGTH))),
  );
  const gapsHeading = `**Not answered well** (${report.groupCount} question(s), near-duplicates counted together)`;
  const wrongHeading = `**Quotes marked wrong** (${report.wrongQuoteCount})`;
  const room = LIMITS.description - summary.length - gapsHeading.length - wrongHeading.length - 80;
  const none = (total: number): string => (total > 0 ? 'None on this page.' : 'None in this period.');
  const gapsText = groupLines.length > 0 ? fitLines(groupLines, Math.floor(room * 0.6)) : none(report.groupCount);
  const wrongText = wrongLines.length > 0 ? fitLines(wrongLines, room - gapsText.length) : none(report.wrongQuoteCount);
  return {
    embeds: [
      {
        title: `Gaps: the last ${report.days} day(s)`,
        description: `${summary}\n\n${gapsHeading}\n${gapsText}\n\n${wrongHeading}\n${wrongText}`,
        color: COLOURS.info,
        footer: { text: `Page ${report.page + 1} of ${report.pageCount}` },
      },
    ],
    components: report.pageCount > 1 ? buttonRows(pageButtons(report)) : [],
    ephemeral,
  };
}

function pageButtons({ days, page, pageCount }: GapsReport): APIButtonComponent[] {
  const button = (label: string, target: number, disabled: boolean): APIButtonComponent => ({
    type: ComponentType.Button,
    style: ButtonStyle.Secondary,
    label,
    custom_id: gapsPageId(days, target),
    disabled,
  });
  return [button('Previous', Math.max(0, page - 1), page === 0), button('Next', Math.min(pageCount - 1, page + 1), page >= pageCount - 1)];
}

/** A Discord timestamp: each reader sees it in their own time zone, as "3 days ago". */
function when(at: number): string {
  return `<t:${Math.floor(at / 1000)}:R>`;
}
