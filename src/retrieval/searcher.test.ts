import { beforeAll, describe, expect, it } from 'vitest';
import { build, copyOfReports, load, sharedEmbedder, tempDir, baseConfig } from '../../test/support/index-fixture.js';
import { createSearcher, type Searcher } from './searcher.js';

let searcher: Searcher;
beforeAll(async () => {
  const indexDir = await tempDir('index');
  await build(await copyOfReports(), indexDir);
  searcher = createSearcher(await load(indexDir), await sharedEmbedder(), { topK: 5, candidates: baseConfig.candidates });
});

const top = async (question: string) => (await searcher.search(question)).hits[0]!;

describe('hybrid retrieval on the real reports', () => {
  it('finds the paragraph that answers a factual question', async () => {
    const hit = await top('北京第二批主题教育涉及多少党员和党组织？');
    expect(hit).toMatchObject({ source: '002_d8a4dfaa46811922.txt', paragraph: 4 });
    expect(hit.title).toBe('北京、山西、内蒙古：聚焦群众关切 高质量推进第二批主题教育开局');
    expect(hit.bestSentence!.text).toContain('涵盖党员139.5万人');
    expect(hit.text.slice(hit.bestSentence!.start, hit.bestSentence!.end)).toBe(hit.bestSentence!.text);
  });

  it('answers keyword-only questions', async () => {
    expect(await top('枫桥式派出所')).toMatchObject({ source: '001_323451f5b4989956.txt', paragraph: 9 });
    expect(await top('僵尸车')).toMatchObject({ source: '001_323451f5b4989956.txt', paragraph: 6 });
  });

  it('uses the place a question names, through follow-on paragraphs', async () => {
    // Paragraph 17 of report 004 speaks of 彭清华 without naming 四川; paragraph 16 does.
    const answer = await searcher.search('四川对基层党支部的主题教育重点抓什么？');
    expect(answer.hits.slice(0, 2).map((h) => `${h.source}#${h.paragraph}`)).toContain('004_72112de6db9b7bbb.txt#17');
  });

  it('matches a question in traditional characters, quoting the report as written', async () => {
    const hit = await top('北京第二批主題教育涉及多少黨員和黨組織？');
    expect(hit).toMatchObject({ source: '002_d8a4dfaa46811922.txt', paragraph: 4 });
    expect(hit.text).toContain('涵盖党员');
  });

  it('reaches Chinese passages from an English question', async () => {
    const answer = await searcher.search("How many party members are covered in Beijing's second batch?");
    expect(answer.answerable).toBe(true);
    expect(answer.hits.slice(0, 3).map((h) => `${h.source}#${h.paragraph}`)).toContain('002_d8a4dfaa46811922.txt#4');
  });

  it('shows a paragraph carried by two reports once, citing the other', async () => {
    const answer = await searcher.search('天津 六个方面着力 头雁效应');
    const copies = answer.hits.filter((h) => h.text.includes('头雁效应'));
    expect(copies).toHaveLength(1);
    expect(copies[0]!.alsoIn).toHaveLength(1);
    expect(new Set([copies[0]!.source, copies[0]!.alsoIn[0]!.source])).toEqual(new Set(['003_3ab517bc4223d4d7.txt', '004_72112de6db9b7bbb.txt']));
  });
});

describe('"not found"', () => {
  it.each([
    ['广东第二批主题教育部署会议是哪天开的？'],
    ['云南 边境 党建'],
    ["What did Liaoning's party secretary say?"],
  ])('is the answer for a place the reports never mention: %s', async (question) => {
    const answer = await searcher.search(question);
    expect(answer.answerable).toBe(false);
    expect(answer.reason).toBeTruthy();
  });

  it.each([['王毅在会上讲了什么？'], ['上海市委书记对第二批主题教育提了哪些要求？']])('is the answer for a person or office the reports never name: %s', async (question) => {
    const answer = await searcher.search(question);
    expect(answer.answerable).toBe(false);
    expect(answer.reason).toMatch(/王毅|书记/);
  });

  it('is the answer for a question with nothing to search', async () => {
    for (const q of ['', '   ', '？？！！', '😀😀']) expect((await searcher.search(q)).answerable).toBe(false);
  });

  it('is not the answer for ordinary questions about the reports', async () => {
    for (const q of ['雄安新区第三批征迁安置一共涉及多少个村？', '呼和浩特为主题教育研究制定了多少项具体措施？', '接诉即办', '石泰峰强调了什么？', '宁夏自治区党委书记是谁？']) {
      expect((await searcher.search(q)).answerable).toBe(true);
    }
  });
});

describe('answer span, verdict and shown quotes on the real reports', () => {
  it('marks the words that answer a number question, not the whole sentence', async () => {
    const answer = await searcher.search('北京第二批主题教育一共涵盖多少党员？');
    expect(answer.verdict).toBe('answer');
    const hit = answer.hits[0]!;
    expect(hit).toMatchObject({ source: '002_d8a4dfaa46811922.txt', paragraph: 4 });
    expect(hit.answerSpan!.text).toContain('139.5万人');
    expect(hit.answerSpan!.text.length).toBeLessThanOrEqual(30);
    expect(hit.text.slice(hit.answerSpan!.start, hit.answerSpan!.end)).toBe(hit.answerSpan!.text);
  });

  it('marks a date and a name', async () => {
    const date = await searcher.search('江苏的第二批部署会议在哪一天召开？');
    expect(date.verdict).toBe('answer');
    expect(date.hits[0]!.answerSpan!.text).toBe('9月10日');
    const person = await searcher.search('黑龙江省委书记叫什么名字？');
    expect(person.verdict).toBe('answer');
    expect(person.hits[0]!.answerSpan!.text).toContain('张庆伟');
  });

  it('leaves descriptions to the best sentence', async () => {
    const answer = await searcher.search('呼和浩特怎样解决中小学生吃午饭的问题？');
    expect(answer.verdict).toBe('answer');
    expect(answer.hits[0]!.answerSpan).toBeNull();
    expect(answer.hits[0]!.bestSentence).not.toBeNull();
  });

  it('says "related" when the reports discuss the subject but not the detail asked for', async () => {
    const answer = await searcher.search('宾阳县发的那批学习资料一共花了多少钱？');
    expect(answer).toMatchObject({ verdict: 'related', answerable: false });
    expect(answer.reason).toContain('宾阳县');
    expect(answer.reason).toContain('金额');
    expect(answer.hits.length).toBeGreaterThan(0);
  });

  it('says "none" when nothing in the reports is about it', async () => {
    const answer = await searcher.search('有没有地方组织党员植树造林、清理河道垃圾？');
    expect(answer).toMatchObject({ verdict: 'none', answerable: false });
  });

  it('lists fewer quotes when relevance drops, keeping the rest for "more results"', async () => {
    const answer = await searcher.search('宁夏自治区党委书记是谁？', { k: 10 });
    expect(answer.shown).toBeGreaterThanOrEqual(1);
    expect(answer.shown).toBeLessThan(answer.hits.length);
  });
});
