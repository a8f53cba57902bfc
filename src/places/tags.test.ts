import { describe, expect, it } from 'vitest';
import { placeById } from './lookup.js';
import { placeOfSite, tagReport } from './tags.js';

const names = (ids: readonly string[]) => ids.map((id) => placeById(id)?.name ?? id);

function tags(title: string, paragraphs: string[], sourceUrl: string | null = null) {
  const t = tagReport({ title, paragraphs, sourceUrl });
  return {
    report: names(t.report),
    own: t.paragraphs.map((p) => names(p.own)),
    inherited: t.paragraphs.map((p) => names(p.inherited)),
  };
}

describe('tagReport: own places', () => {
  it('tags the places a paragraph names with their city and province', () => {
    const t = tags('主题教育简报', ['工程科技支部到绵阳市梓潼县开展主题教育。']);
    expect(t.own[0]).toEqual(['四川', '绵阳', '梓潼县']);
  });

  it('uses stable ids: GB/T 2260 codes for divisions', () => {
    const t = tagReport({ title: '简报', paragraphs: ['永新县召开推进会。'] });
    expect(t.paragraphs[0]!.own).toEqual(['360000', '360800', '360830']);
  });

  it('picks the one of several same-named places the report points to, else none', () => {
    expect(tags('南京市召开推进会', ['鼓楼区组织党员学习。']).own[0]).toEqual(['江苏', '南京', '鼓楼区']);
    expect(placeById(tagReport({ title: '南京市召开推进会', paragraphs: ['鼓楼区组织党员学习。'] }).paragraphs[0]!.own[2]!)?.city).toBe('南京');
    expect(tags('主题教育简报', ['鼓楼区组织党员学习。']).own[0]).toEqual([]);
  });

  it('counts a suffix-less county name only when the report confirms it', () => {
    // 惠民 is a county of 滨州 and an everyday word (惠民生).
    expect(tags('青海部署第二批主题教育', ['要坚持稳增长、促改革、调结构、惠民生、防风险。']).own[0]).toEqual([]);
    // 永新县 named elsewhere in the report confirms the bare 永新; so does its city for 井冈山.
    const t = tags('吉安市委读书班开班', ['学员们来到永新县。', '学员们来到永新、井冈山集中学习。']);
    expect(t.own[1]).toEqual(['江西', '吉安', '永新县', '井冈山市']);
    // A headline using it as a noun, with no place of another province beside it.
    expect(tags('西北师大在会宁开展主题教育', ['会宁会师是长征胜利结束的标志。']).own[0]).toEqual(['甘肃', '白银', '会宁县']);
  });

  it('knows renamed counties under both names and autonomous counties by their short form', () => {
    expect(tags('简报', ['凤翔县“西府出击”是宝鸡史册中耀眼的一页。']).own[0]).toEqual(['陕西', '宝鸡', '凤翔区']);
    expect(tags('简报', ['党员干部赴本溪县东北抗联史实陈列馆参观。']).own[0]).toEqual(['辽宁', '本溪', '本溪满族自治县']);
  });
});

describe('tagReport: the report\'s place and what paragraphs inherit', () => {
  it('gives every paragraph of a one-county report that county ("我县", "全县")', () => {
    const t = tags('永新县召开主题教育推进会', ['会议指出，我县主题教育开局良好。', '全县各级党组织要对标对表。']);
    expect(t.report).toEqual(['江西', '吉安', '永新县']);
    expect(t.own).toEqual([[], []]);
    expect(t.inherited).toEqual([
      ['江西', '吉安', '永新县'],
      ['江西', '吉安', '永新县'],
    ]);
  });

  it('takes what several places in the headline have in common, narrowed by the lead', () => {
    expect(tags('支部到绵阳市梓潼县、广元市旺苍县开展主题教育', ['活动期间学员参观了红军城。']).report).toEqual(['四川']);
    expect(tags('安徽：弘扬红色精神', ['近日，六安市教体局组织学生唱国歌。']).report).toEqual(['安徽', '六安']);
    expect(tags('海口秀英开展主题教育', ['活动现场。']).report).toEqual(['海南', '海口', '秀英区']);
  });

  it('reads who went where in a headline whose places disagree', () => {
    expect(tags('梁园区人防办组织干部职工赴革命圣地延安', ['学员们参观了枣园。']).report).toEqual(['河南', '商丘', '梁园区']);
  });

  it('has no report place for an overview of several provinces', () => {
    const t = tags('河北、吉林、浙江、新疆扎实开展第二批主题教育', ['连日来，河北、吉林、浙江、新疆等地严格对标对表。']);
    expect(t.report).toEqual([]);
  });

  it('lets a paragraph that reports speech or refers back inherit the previous paragraph\'s places', () => {
    const t = tags('山东、湖南、青海部署第二批主题教育', [
      '9月9日，山东召开部署会议。省委书记刘家义出席会议并讲话。',
      '刘家义指出，要深刻领会第二批主题教育的重大意义。',
      '全省各级党组织要抓好整改。',
      '坚持问题导向，各地区各单位要抓好整改。',
    ]);
    expect(t.own).toEqual([['山东'], [], [], []]);
    expect(t.inherited).toEqual([[], ['山东'], ['山东'], []]);
  });

  it('does not pass on an overview of more than three provinces', () => {
    const t = tags('各地部署', ['河北、内蒙古、上海、江苏、安徽等地迅速行动。', '会议强调，要抓好整改。']);
    expect(t.inherited[1]).toEqual([]);
  });

  it('takes the report\'s place from a *.gov.cn site when the text names none', () => {
    const t = tags('建立州委常委同志主题教育联系点', ['经州委同意，建立联系点。'], 'https://cxz.gov.cn/info/1813/35964.htm');
    expect(t.report).toEqual(['云南', '楚雄']);
    expect(t.inherited[0]).toEqual(['云南', '楚雄']);
  });
});

describe('placeOfSite', () => {
  it('reads pinyin or initials of a place from government hosts only', () => {
    expect(placeOfSite('https://sgj.changzhou.gov.cn/html/a.html')?.name).toBe('常州');
    expect(placeOfSite('http://nyncw.cq.gov.cn/a.html')?.name).toBe('重庆');
    expect(placeOfSite('http://www.yongxin.gov.cn/a')?.name).toBe('永新县');
    expect(placeOfSite('https://www.changzhou.com/a')).toBeNull();
    expect(placeOfSite('not a url')).toBeNull();
    expect(placeOfSite(null)).toBeNull();
  });
});
