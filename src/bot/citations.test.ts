// 9. Titles reach Discord with their control characters escaped (src/text/printable.ts), as in the terminal.
import { describe, expect, it } from 'vitest';
import { reportLink } from './views/answer.js';
import { fullParagraphView } from './views/paragraph.js';

describe('citations in Discord messages', () => {
  it('a title with a newline or a terminal escape is shown with visible escapes, in citations and paragraph titles', () => {
    const report = { file: 'x\nwarning: fake.txt', title: '标题\nwarning: fake\u001b]8;;', number: null, sourceUrl: null, paragraphCount: 1, places: [] };
    const link = reportLink(report);
    expect(link).not.toMatch(/[\u0000-\u001f]/);
    expect(link).toContain('\\\\nwarning'); // printable's "\n", its backslash escaped for markdown
    const message = fullParagraphView(report, { file: report.file, number: 1, text: '正文。', hash: 'h', places: { own: [], inherited: [] } }, 'zh-CN');
    const shown = message.embeds!.flatMap((e) => [e.title ?? '', e.description ?? '', e.footer?.text ?? '']).join('');
    expect(shown).not.toMatch(/[\u0000-\u001f]/);
  });
});
