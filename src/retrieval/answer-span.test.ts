import { describe, expect, it } from 'vitest';
import { askedFor } from './answer-kind.js';
import { answerSpan, MAX_SPAN_CHARS, spanQuestion } from './answer-span.js';

const span = (passage: string, question: string) => answerSpan(passage, spanQuestion(question, askedFor(question)))?.text ?? null;

describe('the phrase that answers', () => {
  it('marks a number with its unit and the question words next to it', () => {
    const passage = '据统计，全县共有128个村参与，覆盖党员3.6万人，党组织1200个。';
    expect(span(passage, '全县覆盖了多少党员？')).toBe('覆盖党员3.6万人');
  });

  it('prefers the number with the unit asked for', () => {
    const passage = '该项目惠及群众2万余人，总投资1.5亿元，建成公路46公里。';
    expect(span(passage, '这个项目投了多少钱？')).toContain('1.5亿元');
    expect(span(passage, '建成了多少公里公路？')).toContain('46公里');
  });

  it('prefers the candidate closest to the question words', () => {
    const passage = '今年以来，镇里组织了15场宣讲。针对群众反映的问题，共整改问题37个，办结率98%。';
    expect(span(passage, '整改了多少个问题？')).toContain('37个');
    expect(span(passage, '组织了几场宣讲？')).toContain('15场');
  });

  it('does not give back a number the question already states', () => {
    const passage = '对照8个方面的问题，市里又增加了3个专项整治任务。';
    expect(span(passage, '在8个方面之外又加了几个专项整治？')).toContain('3个');
  });

  it('reads Chinese numerals, ranges and percentages', () => {
    expect(span('培训分三期进行，每期参训干部二百余名。', '每期多少名干部参训？')).toContain('二百余名');
    expect(span('全市压减会议文件比例达到40%。', '压减的比例是多少？')).toContain('40%');
    expect(span('每年安排资金300-500万元用于修缮。', '每年安排多少资金？')).toContain('300-500万元');
  });

  it('marks a date, a precise one before a vague one', () => {
    const passage = '近日，全省动员部署会议召开。会议于2019年9月12日上午在省委礼堂举行。';
    expect(span(passage, '全省动员部署会议是哪天召开的？')).toBe('2019年9月12日上午');
    expect(span('9月3日，县委召开常委会，研究部署整改工作。', '县委常委会什么时候开的？')).toBe('9月3日');
  });

  it('wants a year when the question asks which year', () => {
    expect(span('该馆1998年建成，9月18日重新开放。', '这个馆是哪一年建成的？')).toBe('1998年');
  });

  it('marks an office and a name', () => {
    const passage = '会上，镇党委书记陈立新作动员讲话，镇长刘晓梅主持会议。';
    expect(span(passage, '镇党委书记是谁？')).toBe('党委书记陈立新');
    expect(span(passage, '会议由谁主持？')).toContain('刘晓梅');
  });

  it('marks a name before its title, and an office that speaks without a name', () => {
    expect(span('学员们聆听了王建国教授的专题辅导。', '是哪位教授做的辅导？')).toBe('王建国');
    expect(span('“问题不解决，我们就不收兵。”该县主要负责同志说。', '是谁说不解决问题不收兵？')).toContain('负责同志');
  });

  it('marks a venue or a place inside the one the question names', () => {
    expect(span('全体党员来到八一起义纪念馆参观学习。', '党员们是在哪里参观学习的？')).toBe('八一起义纪念馆');
    expect(span('广东韶关市南雄市组织党员重走长征路。', '广东哪个市组织党员重走长征路？')).toMatch(/韶关|南雄/);
  });

  it('marks the items of an enumeration', () => {
    const passage = '重点整治群众办事难、住房保障不到位、农村饮水不安全等问题。';
    expect(span(passage, '重点整治哪些问题？')).toBe('群众办事难、住房保障不到位、农村饮水不安全');
  });

  it('gives no span for a description, or when nothing of the kind is there', () => {
    expect(span('街道坚持问题导向，推动整改落实。', '街道是怎么推进整改的？')).toBeNull();
    expect(span('街道坚持问题导向，推动整改落实。', '街道整改了多少个问题？')).toBeNull();
    expect(span('街道坚持问题导向，推动整改落实。', '街道的整改是哪天开始的？')).toBeNull();
  });

  it('keeps offsets into the passage as written (traditional characters, full-width digits)', () => {
    const passage = '全縣共覆蓋黨員１２００人，黨組織80個。';
    const found = answerSpan(passage, spanQuestion('全县覆盖了多少党员？', askedFor('全县覆盖了多少党员？')))!;
    expect(passage.slice(found.start, found.end)).toBe(found.text);
    expect(found.text).toContain('１２００人');
  });

  it('is a short phrase', () => {
    const passage = `${'问题导向'.repeat(10)}，涉及村庄46个。`;
    const found = span(passage, '涉及多少个村庄？')!;
    expect(found.length).toBeLessThanOrEqual(MAX_SPAN_CHARS);
    expect(found).toContain('46个');
  });
});
