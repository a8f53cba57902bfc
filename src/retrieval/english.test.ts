import { describe, expect, it } from 'vitest';
import { translateEnglish, type ReportVocabulary } from './english.js';
import { prepareQuery } from './query.js';

/** Reports holding exactly these keyword tokens, in this many passages each. */
function reports(frequencies: Record<string, number>, documentCount = 100): ReportVocabulary {
  return { documentFrequency: (term) => frequencies[term] ?? 0, documentCount };
}

const chinese = (question: string, vocabulary: ReportVocabulary) => translateEnglish(question, vocabulary).map((t) => t.chinese);

describe('translateEnglish', () => {
  it('keeps only the translations the reports use', () => {
    const terms = chinese('Who is the Party secretary?', reports({ 书记: 5, 党: 3 }));
    expect(terms).toContain('书记');
    expect(terms).toContain('党');
    expect(terms).not.toContain('秘书');
    expect(chinese('Who is the Party secretary?', reports({ 秘书: 2 }))).toEqual(['秘书']);
  });

  it('translates a phrase before its words', () => {
    const terms = translateEnglish('What did the provincial Party school teach?', reports({ 党校: 2, 党: 10, 学校: 4 }));
    expect(terms.find((t) => t.chinese === '党校')?.english).toBe('Party school');
    expect(terms.map((t) => t.chinese)).not.toContain('学校');
    expect(terms.map((t) => t.chinese)).not.toContain('党');
  });

  it('prefers a headword whose gloss is the word to one where it is part of a longer gloss', () => {
    const terms = translateEnglish('the secretary', reports({ 书记: 3, 秘书长: 3 }));
    expect(terms[0]!.chinese).toBe('书记');
    expect(terms.map((t) => t.chinese)).not.toContain('秘书长');
  });

  it('takes a headword whose whole gloss is the word over ones where it is part of a gloss', () => {
    expect(chinese('the Party', reports({ 党: 9, 党委: 9, 党员: 9 }))).toEqual(['党']);
  });

  it('reads the question the way that matches the most specific phrases', () => {
    const terms = translateEnglish("the provincial Party school and Teachers' Day", reports({ 党校: 2, 省委: 5, 学校: 4, 教师节: 1 }));
    expect(terms.find((t) => t.chinese === '党校')?.english).toBe('Party school');
    expect(terms.find((t) => t.chinese === '教师节')?.english).toBe('Teachers Day');
  });

  it('weights rarer words higher among equally good translations', () => {
    const terms = translateEnglish('secretary', reports({ 书记: 40, 秘书: 2 }));
    expect(terms.map((t) => t.chinese)).toEqual(['秘书', '书记']);
    expect(terms[0]!.weight).toBeGreaterThan(terms[1]!.weight);
  });

  it('reads plurals and verb forms as their dictionary words', () => {
    expect(chinese('the mobilization of members', reports({ 动员: 3 }))).toContain('动员');
    expect(chinese('they mobilized', reports({ 动员: 3 }))).toContain('动员');
    expect(chinese('parking spaces', reports({ 停车位: 1 }))).toEqual(['停车位']);
  });

  it('knows the campaign terms dictionaries lack', () => {
    expect(chinese('the theme education', reports({ 主题教育: 30, 主题: 31, 教育: 40 }))).toEqual(['主题教育']);
  });

  it('translates no function words and nothing the reports lack', () => {
    expect(translateEnglish('What is it and how many were there?', reports({ 什么: 5, 多少: 5, 是: 50 }))).toEqual([]);
    expect(translateEnglish('Which volcano erupted?', reports({ 书记: 5 }))).toEqual([]);
  });

  it('finds person names in pinyin among the names in the reports', () => {
    const vocabulary = reports({ '#李鸿': 1, '#鸿忠': 1, '#王东': 2, '#东峰': 1, '#东方': 9 });
    expect(chinese('What did Li Hongzhong say?', vocabulary)).toContain('李鸿忠');
    // One letter off ("Donfeng" for Dongfeng) still finds the name.
    expect(chinese('What did Wang Donfeng stress?', vocabulary)).toContain('王东峰');
    // A full name starts with a surname (例 reads li but is none).
    expect(chinese('What did Li Hongzhong say?', reports({ '#鸿忠': 1, '#例鸿': 1 }))).not.toContain('例鸿忠');
  });

  it('does not translate the words of places already understood', () => {
    const question = 'Who leads Jilin City?';
    const start = question.indexOf('Jilin');
    const terms = translateEnglish(question, reports({ 领导: 5, 城市: 3, 吉林: 4 }), { skip: [{ start, end: start + 'Jilin City'.length }] });
    expect(terms.map((t) => t.chinese)).toEqual(['领导']);
  });
});

describe('prepareQuery with English', () => {
  it('adds the translations the reports use and the places named', () => {
    const query = prepareQuery('Who is the Party secretary of Heilongjiang province?', reports({ 书记: 5, 党: 3 }));
    expect(query.english).toBe(true);
    expect(query.translations).toEqual(expect.arrayContaining(['书记', '黑龙江']));
  });

  it('translates nothing in a Chinese question', () => {
    expect(prepareQuery('黑龙江省委书记是谁？', reports({ 书记: 5 })).translations).toEqual([]);
  });
});
