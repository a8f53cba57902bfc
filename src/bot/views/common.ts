// What every view shares: Discord's limits, the message shape, text safety (escaping,
// mentions), budgets, and component builders. Discord does not tell discord.js about
// oversize messages until it answers 400 and the user sees nothing, so limits are checked here.
import {
  ButtonStyle,
  ComponentType,
  type APIActionRowComponent,
  type APIButtonComponentWithCustomId,
  type APIComponentInMessageActionRow,
  type APIEmbed,
  type APIStringSelectComponent,
  type MessageMentionOptions,
} from 'discord.js';

export const MAX_CUSTOM_ID = 100;
/** Discord's limits (https://discord.com/developers/docs/resources/message, …/interactions). */
export const LIMITS = {
  content: 2000,
  embeds: 10,
  title: 256,
  description: 4096,
  fields: 25,
  fieldName: 256,
  fieldValue: 1024,
  footer: 2048,
  authorName: 256,
  embedsTotal: 6000,
  rows: 5,
  buttonsPerRow: 5,
  buttonLabel: 80,
  customId: MAX_CUSTOM_ID,
  selectOptions: 25,
  selectLabel: 100,
  selectDescription: 100,
  placeholder: 150,
  choices: 25,
  choiceName: 100,
  choiceValue: 100,
} as const;

/** Sent with every message: text quoted from reports or echoed from users never pings anyone. */
export const NO_MENTIONS: MessageMentionOptions = { parse: [], repliedUser: false };

export type ActionRow = APIActionRowComponent<APIComponentInMessageActionRow>;

/** A message body before it is sent (reply, edit or update). */
export interface BotMessage {
  content?: string;
  embeds?: APIEmbed[];
  components?: ActionRow[];
}

export const COLOUR = 0xc0392b;
export const ELLIPSIS = '…';

// ---------------------------------------------------------------------------------------------
// Text safety

/** Characters that are markdown anywhere in a line. */
const MARKDOWN = new Set(['\\', '*', '_', '~', '`', '|', '[', ']']);
/** Characters that are markdown at the start of a line (headings, quotes, lists, subtext). */
const LINE_START = new Set(['#', '>', '-', '+']);
const isAsciiWord = (c: string | undefined) => c !== undefined && /[A-Za-z0-9]/.test(c);

/**
 * Escapes Discord markdown and breaks mentions (a zero-width space after the @ or <@),
 * for anything quoted from a report or echoed from a user. allowed_mentions already stops
 * pings; this also stops text from rendering as a mention, spoiler, code or link.
 *
 * Covers what discord.js escapeMarkdown (all options on) escapes, plus "> " quotes, "-#"
 * subtext and "]", but is linear: escapeMarkdown is quadratic (≈0.2 s for 5 000 characters,
 * 3 s for 20 000), which a long paragraph or a hostile message would turn into a stalled bot.
 */
export function escapeText(text: string): string {
  let out = '';
  let lineStart = true;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    // An underscore between ASCII letters or digits never starts italics: keep file names readable.
    if (c === '_' && isAsciiWord(text[i - 1]) && isAsciiWord(text[i + 1])) out += c;
    else if (MARKDOWN.has(c) || (lineStart && LINE_START.has(c))) out += `\\${c}`;
    else out += c;
    lineStart = c === '\n' || (lineStart && (c === ' ' || c === '\t'));
  }
  // "1. item" at a line start is a numbered list.
  return neutraliseMentions(out.replace(/^([ \t]*\d+)\./gm, '$1\\.'));
}

export function neutraliseMentions(text: string): string {
  return text
    .replace(/@(everyone|here)/gi, '@\u200b$1')
    .replace(/<(@[!&]?|#|\/|t:|a?:)/g, '<$1\u200b');
}

export const codePoints = (s: string): string[] => Array.from(s);

/**
 * Escaped text no longer than `max` (UTF-16 units, which is never less than Discord's
 * code-point count), cut with an ellipsis when needed.
 */
export function fitEscaped(raw: string, max: number): string {
  if (raw.length <= max) {
    const full = escapeText(raw);
    if (full.length <= max) return full;
  }
  if (max <= ELLIPSIS.length) return ELLIPSIS.slice(0, Math.max(0, max));
  // Escaping never shortens text, so at most `max` code points can fit: search only those.
  const chars = codePoints(raw.slice(0, max * 2)).slice(0, max);
  let lo = 0;
  let hi = chars.length;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (escapeText(chars.slice(0, mid).join('')).length + ELLIPSIS.length <= max) lo = mid;
    else hi = mid - 1;
  }
  return escapeText(chars.slice(0, lo).join('').trimEnd()) + ELLIPSIS;
}

/** A user's question as shown back to them: one line, escaped, bounded. */
export function echo(question: string, max: number): string {
  return fitEscaped(question.replace(/\s+/g, ' ').trim(), max);
}


/**
 * Shares `total` characters among blocks: each gets what it needs, and when they do not
 * all fit, the longest are capped equally (water-filling) so short passages stay whole.
 */
export function allocate(needs: number[], total: number): number[] {
  const sum = needs.reduce((a, b) => a + b, 0);
  if (sum <= total) return needs;
  const sorted = [...needs].sort((a, b) => a - b);
  let remaining = total;
  let cap = 0;
  for (let i = 0; i < sorted.length; i++) {
    const share = Math.floor(remaining / (sorted.length - i));
    if (sorted[i]! > share) {
      cap = share;
      break;
    }
    remaining -= sorted[i]!;
    cap = sorted[i]!;
  }
  return needs.map((n) => Math.min(n, cap));
}


/** Only plain http(s) links of sane length are shown: a link is not worth the room of a quote. */
export function safeUrl(url: string | null): string | null {
  return url && /^https?:\/\/[^\s<>()]+$/.test(url) && url.length <= 300 ? url : null;
}

/** Plain (unescaped) text cut to a limit, for fields Discord shows literally (choices, labels). */
export function truncatePlain(text: string, max: number): string {
  const chars = codePoints(text);
  if (chars.length <= max && text.length <= max) return text;
  let out = '';
  for (const c of chars) {
    if (out.length + c.length + ELLIPSIS.length > max) break;
    out += c;
  }
  return out + ELLIPSIS;
}

/** Lines joined until a budget, then "…and N more". */
export function listWithin(lines: string[], max: number, more: (n: number) => string, separator = '\n'): string {
  let out = '';
  for (let i = 0; i < lines.length; i++) {
    const rest = `${separator}${more(lines.length - i)}`;
    const next = out ? `${out}${separator}${lines[i]}` : lines[i]!;
    const reserve = i < lines.length - 1 ? rest.length : 0;
    if (next.length + reserve > max) return out ? out + rest : truncateLine(lines[i]!, max);
    out = next;
  }
  return out;
}

/** A line of already-escaped text cut to fit; never ends in a lone backslash that would escape the "…". */
function truncateLine(line: string, max: number): string {
  return line.length <= max ? line : truncatePlain(line, max).replace(/\\+…$/, ELLIPSIS);
}

// ---------------------------------------------------------------------------------------------
// Components

export function button(customId: string, label: string, style: ButtonStyle = ButtonStyle.Secondary): APIButtonComponentWithCustomId {
  return { type: ComponentType.Button, style, custom_id: customId, label: truncatePlain(label, LIMITS.buttonLabel) } as APIButtonComponentWithCustomId;
}

export function buttonRow(buttons: APIButtonComponentWithCustomId[]): ActionRow[] {
  return buttons.length === 0 ? [] : [{ type: ComponentType.ActionRow, components: buttons.slice(0, LIMITS.buttonsPerRow) }];
}

export interface SelectOption {
  label: string;
  value: string;
  description?: string;
}

/** One select menu in its own row; null when there is nothing to choose. */
export function selectRow(customId: string, placeholder: string, options: SelectOption[]): ActionRow | null {
  const unique = [...new Map(options.map((o) => [o.value, o])).values()].slice(0, LIMITS.selectOptions);
  if (unique.length === 0) return null;
  const menu: APIStringSelectComponent = {
    type: ComponentType.StringSelect,
    custom_id: customId,
    placeholder: truncatePlain(placeholder, LIMITS.placeholder),
    min_values: 1,
    max_values: 1,
    options: unique.map((o) => ({
      label: truncatePlain(o.label, LIMITS.selectLabel),
      value: o.value,
      ...(o.description ? { description: truncatePlain(o.description, LIMITS.selectDescription) } : {}),
    })),
  };
  return { type: ComponentType.ActionRow, components: [menu] };
}

// ---------------------------------------------------------------------------------------------
// Limits check (a last line of defence, and what tests assert)

/** Every Discord limit a message body breaks; empty when it is fine to send. */
export function limitViolations(message: BotMessage): string[] {
  const problems: string[] = [];
  const len = (s: string | undefined) => (s === undefined ? 0 : s.length);
  if (len(message.content) > LIMITS.content) problems.push(`content ${len(message.content)} > ${LIMITS.content}`);
  const embeds = message.embeds ?? [];
  if (embeds.length > LIMITS.embeds) problems.push(`${embeds.length} embeds`);
  let total = 0;
  embeds.forEach((e, i) => {
    const check = (what: string, s: string | undefined, max: number) => {
      total += len(s);
      if (len(s) > max) problems.push(`embed ${i} ${what} ${len(s)} > ${max}`);
    };
    check('title', e.title, LIMITS.title);
    check('description', e.description, LIMITS.description);
    check('footer', e.footer?.text, LIMITS.footer);
    check('author', e.author?.name, LIMITS.authorName);
    if ((e.fields ?? []).length > LIMITS.fields) problems.push(`embed ${i} has ${e.fields!.length} fields`);
    for (const f of e.fields ?? []) {
      if (!f.name || !f.value) problems.push(`embed ${i} has an empty field`);
      check('field name', f.name, LIMITS.fieldName);
      check('field value', f.value, LIMITS.fieldValue);
    }
  });
  if (total > LIMITS.embedsTotal) problems.push(`embeds total ${total} > ${LIMITS.embedsTotal}`);
  const rows = message.components ?? [];
  if (rows.length > LIMITS.rows) problems.push(`${rows.length} rows`);
  const ids = new Set<string>();
  for (const row of rows) {
    if (row.components.length < 1 || row.components.length > LIMITS.buttonsPerRow) problems.push(`row with ${row.components.length} components`);
    for (const c of row.components) {
      if (!('custom_id' in c)) continue;
      if (c.custom_id.length > LIMITS.customId) problems.push(`custom id ${c.custom_id.length} > ${LIMITS.customId}`);
      if (ids.has(c.custom_id)) problems.push(`duplicate custom id ${c.custom_id}`);
      ids.add(c.custom_id);
      if (c.type === ComponentType.Button && len(c.label) > LIMITS.buttonLabel) problems.push('button label too long');
      if (c.type === ComponentType.StringSelect) {
        if (row.components.length !== 1) problems.push('a select menu must be alone in its row');
        if (c.options.length < 1 || c.options.length > LIMITS.selectOptions) problems.push(`select with ${c.options.length} options`);
        if (len(c.placeholder) > LIMITS.placeholder) problems.push('placeholder too long');
        for (const o of c.options) {
          if (len(o.label) > LIMITS.selectLabel || o.value.length > LIMITS.selectLabel || len(o.description) > LIMITS.selectDescription) problems.push('select option too long');
        }
      }
    }
  }
  const empty = !message.content && embeds.length === 0 && rows.length === 0;
  if (empty) problems.push('empty message');
  return problems;
}

