import { describe, expect, it } from 'vitest';
import { loadGazetteer } from './gazetteer.js';
import {
  allProvinces,
  allRegions,
  cityOf,
  findEnglishRegionMentions,
  findRegionMentions,
  parentOf,
  placesIn,
  provinceOf,
  regionByName,
  regionPath,
  regionsMentioned,
  resolveRegion,
  resolveRegionCandidates,
  suggestRegions,
} from './lookup.js';
import { toSimplified } from '../text/text.js';

/** Mentions as "surface→canonical" (just "surface" when they coincide) for compact assertions. */
const mentions = (text: string): string[] =>
  findRegionMentions(text).map((m) => (m.surface === m.region.name ? m.surface : `${m.surface}→${m.region.name}`));
const names = (text: string): string[] => findRegionMentions(text).map((m) => m.region.name);
const en = (text: string): string[] => findEnglishRegionMentions(text).map((m) => `${m.surface}→${m.region.name}`);
const resolved = (q: string): string | null => resolveRegion(q)?.name ?? null;

const PROVINCES_34 = [
  '北京', '天津', '上海', '重庆', // municipalities
  '河北', '山西', '辽宁', '吉林', '黑龙江', '江苏', '浙江', '安徽', '福建', '江西', '山东', '河南', '湖北', '湖南',
  '广东', '海南', '四川', '贵州', '云南', '陕西', '甘肃', '青海', '台湾', // provinces
  '内蒙古', '广西', '西藏', '宁夏', '新疆', // autonomous regions
  '香港', '澳门', // SARs
];

const PREFECTURE_COUNTS: Record<string, number> = {
  河北: 11, 山西: 11, 内蒙古: 12, 辽宁: 14, 吉林: 9, 黑龙江: 13, 江苏: 13, 浙江: 11, 安徽: 16, 福建: 9, 江西: 11,
  山东: 16, 河南: 17, 湖北: 13, 湖南: 14, 广东: 21, 广西: 14, 海南: 4, 四川: 21, 贵州: 9, 云南: 16, 西藏: 7,
  陕西: 10, 甘肃: 14, 青海: 8, 宁夏: 5, 新疆: 14,
};

describe('gazetteer data', () => {
  const g = loadGazetteer();

  it('has all 34 province-level regions with unique names and the right kinds', () => {
    const ps = allProvinces();
    expect(ps).toHaveLength(34);
    expect(new Set(ps.map((p) => p.name)).size).toBe(34);
    expect([...ps.map((p) => p.name)].sort()).toEqual([...PROVINCES_34].sort());
    const kinds = (k: string) => ps.filter((p) => p.kind === k).map((p) => p.name).sort();
    expect(kinds('municipality')).toEqual(['上海', '北京', '天津', '重庆'].sort());
    expect(kinds('autonomous-region')).toEqual(['内蒙古', '宁夏', '广西', '新疆', '西藏'].sort());
    expect(kinds('sar')).toEqual(['澳门', '香港'].sort());
    expect(kinds('province')).toHaveLength(23);
    for (const p of ps) {
      expect(p.level).toBe(1);
      expect(p.province).toBe(p.name);
      expect(p.parent).toBeNull();
      expect(p.fullNames.length).toBeGreaterThan(0);
      expect(p.english.length).toBeGreaterThan(0);
    }
  });

  it('uses the official full names', () => {
    const full = (n: string) => regionByName(n)!.fullNames;
    expect(full('河北')).toContain('河北省');
    expect(full('内蒙古')).toContain('内蒙古自治区');
    expect(full('新疆')).toContain('新疆维吾尔自治区');
    expect(full('广西')).toContain('广西壮族自治区');
    expect(full('宁夏')).toContain('宁夏回族自治区');
    expect(full('西藏')).toContain('西藏自治区');
    expect(full('北京')).toContain('北京市');
    expect(full('香港')).toContain('香港特别行政区');
    expect(full('澳门')).toContain('澳门特别行政区');
  });

  it('has every prefecture-level unit (333) under the right province', () => {
    const prefs = g.places.filter((p) => p.level === 2 && (p.kind === 'city' || p.kind === 'prefecture') && p.province !== '台湾');
    expect(prefs).toHaveLength(333);
    const counts: Record<string, number> = {};
    for (const p of prefs) counts[p.province] = (counts[p.province] ?? 0) + 1;
    expect(counts).toEqual(PREFECTURE_COUNTS);
  });

  it('puts capitals and well-known cities in the right province', () => {
    const expected: Record<string, string> = {
      石家庄: '河北', 太原: '山西', 呼和浩特: '内蒙古', 沈阳: '辽宁', 长春: '吉林', 吉林市: '吉林', 哈尔滨: '黑龙江',
      南京: '江苏', 杭州: '浙江', 合肥: '安徽', 福州: '福建', 南昌: '江西', 济南: '山东', 郑州: '河南', 武汉: '湖北',
      长沙: '湖南', 广州: '广东', 南宁: '广西', 海口: '海南', 成都: '四川', 贵阳: '贵州', 昆明: '云南', 拉萨: '西藏',
      西安: '陕西', 兰州: '甘肃', 西宁: '青海', 银川: '宁夏', 乌鲁木齐: '新疆', 深圳: '广东', 大连: '辽宁', 青岛: '山东',
      厦门: '福建', 苏州: '江苏', 宿州: '安徽', 台州: '浙江', 泰州: '江苏', 宜春: '江西', 伊春: '黑龙江', 玉林: '广西',
      榆林: '陕西', 抚州: '江西', 嘉峪关: '甘肃', 遵义: '贵州', 宜昌: '湖北', 邢台: '河北', 济宁: '山东', 海南州: '青海',
      伊犁: '新疆', 阿勒泰: '新疆', 阿拉善: '内蒙古', 延边: '吉林', 大兴安岭: '黑龙江', 三沙: '海南',
    };
    for (const [name, prov] of Object.entries(expected)) {
      const r = regionByName(name);
      expect(r, name).not.toBeNull();
      expect(r!.province, name).toBe(prov);
    }
  });

  it('has the counties, districts and areas named in the reports, with their parents', () => {
    const expected: Array<[string, string, string | null]> = [
      ['宾阳县', '广西', '南宁'],
      ['临桂区', '广西', '桂林'],
      ['灵川县', '广西', '桂林'],
      ['江津区', '重庆', null],
      ['庐阳区', '安徽', '合肥'],
      ['徐汇区', '上海', null],
      ['陆家嘴', '上海', null],
      ['清河县', '河北', '邢台'],
      ['巩留县', '新疆', '伊犁'],
      ['汶上县', '山东', '济宁'],
      ['江北新区', '江苏', '南京'],
      ['雄安新区', '河北', null],
      ['容城县', '河北', '保定'],
      ['雄县', '河北', '保定'],
      ['安新县', '河北', '保定'],
      ['奎屯市', '新疆', '伊犁'],
      ['阿拉善右旗', '内蒙古', '阿拉善'],
      ['巴丹吉林沙漠', '内蒙古', '阿拉善'],
      ['丰台区', '北京', null],
    ];
    for (const [name, prov, city] of expected) {
      const r = regionByName(name);
      expect(r, name).not.toBeNull();
      expect(r!.province, name).toBe(prov);
      expect(r!.city, name).toBe(city);
    }
    expect(parentOf('陆家嘴')?.name).toBe('浦东新区');
    expect(parentOf('容城县')?.name).toBe('雄安新区');
    expect(regionPath(regionByName('宾阳县')!).map((r) => r.name)).toEqual(['广西', '南宁', '宾阳县']);
    expect(regionPath(regionByName('陆家嘴')!).map((r) => r.name)).toEqual(['上海', '浦东新区', '陆家嘴']);
  });

  it('has pinyin and English for every entry, and correct tricky romanisations', () => {
    for (const r of allRegions()) {
      expect(r.pinyin, r.name).toMatch(/^[A-Z][A-Za-zü' ]+$/);
      expect(r.english.length, r.name).toBeGreaterThan(0);
    }
    expect(regionByName('陕西')!.pinyin).toBe('Shaanxi');
    expect(regionByName('山西')!.pinyin).toBe('Shanxi');
    expect(regionByName('内蒙古')!.english).toContain('Inner Mongolia');
    expect(regionByName('西藏')!.english).toEqual(expect.arrayContaining(['Tibet', 'Xizang']));
    expect(regionByName('北京')!.english).toEqual(expect.arrayContaining(['Beijing', 'Peking']));
    expect(regionByName('呼和浩特')!.english).toContain('Hohhot');
    expect(regionByName('乌鲁木齐')!.english).toContain('Urumqi');
  });

  it('finds every full name after the traditional->simplified converter (乾安县 becomes 干安县 there)', () => {
    for (const r of allRegions()) {
      for (const f of r.fullNames) {
        const ms = findRegionMentions(toSimplified(f));
        expect(ms.length, f).toBe(1);
        expect(ms[0]!.candidates, f).toContain(r);
      }
    }
  });

  it('finds each full name in text as that region (or among the places sharing it: 鼓楼区 ×4)', () => {
    for (const r of allRegions()) {
      for (const f of r.fullNames) {
        const ms = findRegionMentions(f);
        expect(ms.map((m) => m.surface), f).toEqual([f]);
        expect(ms[0]!.candidates, f).toContain(r);
      }
      if (!r.ambiguous && r.level <= 2) {
        for (const b of [r.name, r.shortName]) {
          if (b && b.length >= 2 && !r.fullNames.includes(b)) expect(names(b), b).toEqual([r.name]);
        }
      }
    }
  });
});

describe('resolveRegion', () => {
  it('accepts names with or without suffix', () => {
    expect(resolved('河北')).toBe('河北');
    expect(resolved('河北省')).toBe('河北');
    expect(resolved('内蒙古')).toBe('内蒙古');
    expect(resolved('内蒙古自治区')).toBe('内蒙古');
    expect(resolved('新疆')).toBe('新疆');
    expect(resolved('新疆维吾尔自治区')).toBe('新疆');
    expect(resolved('广西壮族自治区')).toBe('广西');
    expect(resolved('香港特别行政区')).toBe('香港');
    expect(resolved('北京市')).toBe('北京');
    expect(resolved('石家庄')).toBe('石家庄');
    expect(resolved('石家庄市')).toBe('石家庄');
    expect(resolved('呼和浩特')).toBe('呼和浩特');
    expect(resolved(' 石家庄 ')).toBe('石家庄');
    expect(resolved('延边州')).toBe('延边');
    expect(resolved('伊犁哈萨克自治州')).toBe('伊犁');
    expect(resolved('阿勒泰地区')).toBe('阿勒泰');
    expect(resolved('宾阳县')).toBe('宾阳县');
    expect(resolved('宾阳')).toBe('宾阳县');
    expect(resolved('江津')).toBe('江津区');
    expect(resolved('雄安新区')).toBe('雄安新区');
    expect(resolved('雄安')).toBe('雄安新区');
    expect(resolved('石家庄地区')).toBe('石家庄');
  });

  it('resolves the province for a bare shared name and the city with 市', () => {
    expect(resolveRegion('吉林')!.kind).toBe('province');
    expect(resolved('吉林省')).toBe('吉林');
    const city = resolveRegion('吉林市')!;
    expect(city.name).toBe('吉林市');
    expect(city.kind).toBe('city');
    expect(city.province).toBe('吉林');
    expect(resolveRegionCandidates('Jilin').map((r) => r.name)).toEqual(['吉林', '吉林市']);
    expect(resolved('海南')).toBe('海南');
    expect(resolved('海南省')).toBe('海南');
    expect(resolved('海南州')).toBe('海南州');
    expect(resolved('海南藏族自治州')).toBe('海南州');
    expect(resolved('朝阳')).toBe('朝阳'); // the prefecture-level city in 辽宁
    expect(resolved('朝阳区')).toBe('朝阳区'); // 北京
    expect(resolved('河北区')).toBe('河北区'); // 天津
  });

  it('converts traditional characters', () => {
    expect(resolved('內蒙古')).toBe('内蒙古');
    expect(resolved('內蒙古自治區')).toBe('内蒙古');
    expect(resolved('廣西')).toBe('广西');
    expect(resolved('廣西壯族自治區')).toBe('广西');
    expect(resolved('新疆維吾爾自治區')).toBe('新疆');
    expect(resolved('臺灣')).toBe('台湾');
    expect(resolved('澳門')).toBe('澳门');
    expect(resolved('烏魯木齊')).toBe('乌鲁木齐');
    expect(resolved('瀋陽')).toBe('沈阳');
    expect(resolved('吉林市')).toBe('吉林市');
  });

  it('accepts English and pinyin, case-, space- and hyphen-insensitive', () => {
    expect(resolved('Hebei')).toBe('河北');
    expect(resolved('hebei')).toBe('河北');
    expect(resolved('HEBEI')).toBe('河北');
    expect(resolved('Hebei Province')).toBe('河北');
    expect(resolved('Inner Mongolia')).toBe('内蒙古');
    expect(resolved('inner-mongolia')).toBe('内蒙古');
    expect(resolved('innermongolia')).toBe('内蒙古');
    expect(resolved('Inner Mongolia Autonomous Region')).toBe('内蒙古');
    expect(resolved('Neimenggu')).toBe('内蒙古');
    expect(resolved('Nei Mongol')).toBe('内蒙古');
    expect(resolved('Xinjiang')).toBe('新疆');
    expect(resolved('Tibet')).toBe('西藏');
    expect(resolved('Xizang')).toBe('西藏');
    expect(resolved('Guangxi')).toBe('广西');
    expect(resolved('Ningxia')).toBe('宁夏');
    expect(resolved('Beijing')).toBe('北京');
    expect(resolved('Peking')).toBe('北京');
    expect(resolved('Beijing City')).toBe('北京');
    expect(resolved('Heilongjiang')).toBe('黑龙江');
    expect(resolved('Shaanxi')).toBe('陕西');
    expect(resolved('Shanxi')).toBe('山西');
    expect(resolved('Hong Kong')).toBe('香港');
    expect(resolved('hongkong')).toBe('香港');
    expect(resolved('Macau')).toBe('澳门');
    expect(resolved('Macao')).toBe('澳门');
    expect(resolved('Shijiazhuang')).toBe('石家庄');
    expect(resolved('shi jia zhuang')).toBe('石家庄');
    expect(resolved('Hohhot')).toBe('呼和浩特');
    expect(resolved('Huhehaote')).toBe('呼和浩特');
    expect(resolved("Xi'an")).toBe('西安');
    expect(resolved('Xian')).toBe('西安');
    expect(resolved('Lüliang')).toBe('吕梁');
    expect(resolved('Jilin')).toBe('吉林');
    expect(resolved('Jilin Province')).toBe('吉林');
    expect(resolved('Jilin City')).toBe('吉林市');
    expect(resolved('jilin city')).toBe('吉林市');
    expect(resolved('Jilin Shi')).toBe('吉林市');
    expect(resolved('Xiong an New Area')).toBe('雄安新区');
    expect(resolved('Binyang County')).toBe('宾阳县');
    expect(resolved('Jiangjin District')).toBe('江津区');
  });

  it('breaks ties on shared romanisations towards the better-known place', () => {
    expect(resolved('Suzhou')).toBe('苏州');
    expect(resolveRegionCandidates('Suzhou').map((r) => r.name).slice(0, 2)).toEqual(['苏州', '宿州']);
    expect(resolved('Taizhou')).toBe('台州');
    expect(resolved('Fuzhou')).toBe('福州');
    expect(resolved('Hainan')).toBe('海南');
    expect(resolved('Hainan Prefecture')).toBe('海南州');
  });

  it('resolves simple compounds to the most specific place', () => {
    expect(resolved('河北省石家庄市')).toBe('石家庄');
    expect(resolved('广西南宁')).toBe('南宁');
    expect(resolved('广西南宁市宾阳县')).toBe('宾阳县');
    expect(resolved('Shijiazhuang, Hebei')).toBe('石家庄');
    expect(resolved('河北南宁')).toBeNull(); // inconsistent
  });

  it('accepts official one-character abbreviations only as exact input', () => {
    expect(resolved('冀')).toBe('河北');
    expect(resolved('沪')).toBe('上海');
    expect(resolved('渝')).toBe('重庆');
  });

  it('returns null for unknown names', () => {
    expect(resolveRegion('')).toBeNull();
    expect(resolveRegion('   ')).toBeNull();
    expect(resolveRegion('Zhihenan')).toBeNull();
    expect(resolveRegion('Hebie')).toBeNull();
    expect(resolveRegion('新区')).toBeNull();
    expect(resolveRegion('自治区')).toBeNull();
  });
});

describe('helpers', () => {
  it('provinceOf / cityOf / placesIn', () => {
    expect(provinceOf('石家庄')?.name).toBe('河北');
    expect(provinceOf(regionByName('河北')!)?.name).toBe('河北');
    expect(provinceOf('Binyang')?.name).toBe('广西');
    expect(provinceOf('nowhere')).toBeNull();
    expect(cityOf('宾阳县')?.name).toBe('南宁');
    expect(cityOf('南宁')?.name).toBe('南宁');
    expect(cityOf('江津区')).toBeNull();
    const hebei = placesIn('河北', ['city']).map((r) => r.name);
    expect(hebei).toHaveLength(11);
    expect(hebei).toContain('石家庄');
    expect(placesIn('北京', ['district'])).toHaveLength(16);
    expect(placesIn('上海', ['district'])).toHaveLength(16);
    expect(placesIn('天津', ['district'])).toHaveLength(16);
    expect(placesIn('重庆', ['district', 'county'])).toHaveLength(38);
    expect(placesIn('nowhere')).toEqual([]);
  });
});

describe('suggestRegions', () => {
  const sug = (q: string, limit?: number) => suggestRegions(q, limit).map((r) => r.name);

  it('suggests by pinyin prefix, provinces first', () => {
    const he = sug('he');
    expect(he.slice(0, 3).sort()).toEqual(['河北', '河南', '黑龙江'].sort());
    expect(he).toContain('合肥');
    const hu = sug('hu');
    expect(hu.slice(0, 2).sort()).toEqual(['湖北', '湖南'].sort());
    expect(hu).toContain('呼和浩特');
    expect(hu).not.toContain('宁夏');
    const levels = suggestRegions('he').map((r) => r.level);
    expect([...levels].sort((a, b) => a - b)).toEqual(levels);
  });

  it('suggests by Chinese prefix and substring', () => {
    expect(sug('内')[0]).toBe('内蒙古');
    expect(sug('内')).toContain('内江');
    expect(sug('石家')).toEqual(['石家庄']);
    expect(sug('蒙古')).toContain('内蒙古');
    expect(sug('廣')).toEqual(expect.arrayContaining(['广东', '广西', '广州']));
    expect(sug('吉林').slice(0, 2)).toEqual(['吉林', '吉林市']);
  });

  it('suggests by English words', () => {
    expect(sug('inner')[0]).toBe('内蒙古');
    expect(sug('mongolia')[0]).toBe('内蒙古');
    expect(sug('Hong')).toContain('香港');
    expect(sug('hebei province')[0]).toBe('河北');
  });

  it('tolerates one typo for "did you mean"', () => {
    expect(sug('Hebie')[0]).toBe('河北');
    expect(sug('Shanxi').slice(0, 2)).toEqual(['山西', '陕西']);
    expect(sug('Sichaun')[0]).toBe('四川');
    expect(sug('Guangzou')).toContain('广州');
    expect(sug('石家壮')).toContain('石家庄');
  });

  it('lists provinces for empty input and honours the limit', () => {
    expect(sug('')).toHaveLength(25);
    expect(sug('', 50)).toHaveLength(34);
    expect(sug('h', 5)).toHaveLength(5);
    expect(sug('h', 0)).toEqual([]);
    expect(sug('zzzzzz')).toEqual([]);
  });
});

describe('findRegionMentions', () => {
  it('finds the places in real report sentences', () => {
    expect(
      mentions(
        '河北、内蒙古、上海、江苏、安徽、山东、湖北、湖南、广西、重庆、贵州、甘肃、新疆等地的市、县机关及其直属单位和企事业单位',
      ),
    ).toEqual(['河北', '内蒙古', '上海', '江苏', '安徽', '山东', '湖北', '湖南', '广西', '重庆', '贵州', '甘肃', '新疆']);
    expect(mentions('广西桂林市宾阳县发放《习近平关于“不忘初心、牢记使命”重要论述选编》等学习资料共5万多册')).toEqual([
      '广西',
      '桂林市→桂林',
      '宾阳县',
    ]);
    expect(mentions('临桂区举办第一批主题教育先进单位经验做法学习研讨会，对标中央和自治区党委要求；灵川县全面升级改造县党群服务中心')).toEqual([
      '临桂区',
      '灵川县',
    ]);
    expect(mentions('作为聂荣臻元帅的故乡，重庆市江津区将在主题教育中充分挖掘利用红色资源')).toEqual(['重庆市→重庆', '江津区']);
    expect(mentions('9月10日，安徽合肥市庐阳区组织2600余名区直机关、乡镇街道、村居党员干部')).toEqual(['安徽', '合肥市→合肥', '庐阳区']);
    expect(mentions('上海自贸区陆家嘴管理局将进一步创新工作方法；徐汇区行政服务中心将通过重点调研推进“一网通办”')).toEqual([
      '上海自贸区',
      '陆家嘴',
      '徐汇区',
    ]);
    expect(mentions('新疆伊犁哈萨克自治州巩留县重点检视聚焦落实主题教育总目标打折扣')).toEqual(['新疆', '伊犁哈萨克自治州→伊犁', '巩留县']);
    expect(mentions('河北邢台市清河县开展“千名干部下基层、万名党员解难题”活动')).toEqual(['河北', '邢台市→邢台', '清河县']);
    expect(mentions('山东济宁市汶上县着力解决推进工作过程中存在的突出问题')).toEqual(['山东', '济宁市→济宁', '汶上县']);
    expect(mentions('湖北宜昌东站出口处，原本是一个汽修厂')).toEqual(['湖北', '宜昌']);
    expect(mentions('由第一批参加单位44个职能部门和第二批参加单位11个区、江北新区共同参与')).toEqual(['江北新区']);
    expect(mentions('乌鲁木齐铁路公安局奎屯公安处阿勒泰站派出所通过开展“不忘初心、牢记使命”演讲比赛')).toEqual([
      '乌鲁木齐',
      '奎屯→奎屯市',
      '阿勒泰',
    ]);
    expect(mentions('北京市丰台区以“三会一课”、主题党日活动为载体，充分利用卢沟桥、宛平城、中国抗战馆、二七纪念馆等红色资源')).toEqual([
      '北京市→北京',
      '丰台区',
      '卢沟桥',
      '宛平城',
    ]);
    expect(mentions('晋城、临汾、运城等地基层党组织第一时间进行学习传达')).toEqual(['晋城', '临汾', '运城']);
    expect(mentions('作为第一批主题教育中的帮扶单位，长治中医院及时组织集中学习')).toEqual(['长治']);
    expect(mentions('其中，石家庄市提出，以主题教育为契机；唐山市要求；廊坊市提出')).toEqual(['石家庄市→石家庄', '唐山市→唐山', '廊坊市→廊坊']);
    expect(mentions('9月11日,内蒙古自治区党委制定印发《自治区开展第二批“不忘初心、牢记使命”主题教育实施方案》')).toEqual([
      '内蒙古自治区→内蒙古',
    ]);
  });

  it('tells 吉林 the province from 吉林市 the city', () => {
    expect(names('河北、吉林、浙江、新疆扎实开展第二批主题教育')).toEqual(['河北', '吉林', '浙江', '新疆']);
    expect(names('在第二批主题教育中，吉林省委注重加强分级分类指导')).toEqual(['吉林']);
    expect(names('9月9日，吉林召开“不忘初心、牢记使命”主题教育第一批总结暨第二批部署会议')).toEqual(['吉林']);
    expect(names('“作为贴近群众生活的城市管理部门……”吉林市城市管理行政执法局局长刘晓利说。')).toEqual(['吉林市']);
    expect(names('致和南小区是吉林市中心城区的老旧小区')).toEqual(['吉林市']);
    expect(findRegionMentions('吉林市致和南小区')[0]!.region.kind).toBe('city');
    // 市场 (market) is not the city's 市.
    expect(names('吉林市场监管部门')).toEqual(['吉林']);
  });

  it('does not see 吉林 in 巴丹吉林沙漠 (a desert in 内蒙古)', () => {
    const ms = findRegionMentions('阿拉善右旗阿日毛道嘎查地处巴丹吉林沙漠腹地，开展主题教育面临着居住分散、交通不便的客观难题。');
    expect(ms.map((m) => m.region.name)).toEqual(['阿拉善右旗', '巴丹吉林沙漠']);
    expect(ms.every((m) => m.region.province === '内蒙古')).toBe(true);
    expect(names('巴丹吉林')).toEqual(['巴丹吉林沙漠']);
  });

  it('handles 雄安新区, 雄县 and 安新县', () => {
    expect(names('日前，雄安新区启动第三批征迁安置，涉及94个村。新区同步召集容城县、雄县、安新县举行和谐征迁动员大会')).toEqual([
      '雄安新区',
      '容城县',
      '雄县',
      '安新县',
    ]);
    expect(names('重温党的初心和设立雄安新区的初心')).toEqual(['雄安新区']);
    expect(names('容城农村土地征收、村庄整体搬迁等在三县中任务最重')).toEqual(['容城县']);
    expect(names('新区同步召集')).toEqual([]); // 新区 alone is not a place
    expect(names('平安新年')).toEqual([]); // bare 安新 is not 安新县
    expect(names('他是抗日英雄县里人')).toEqual([]);
    expect(names('李鸿忠县委')).toEqual([]);
    expect(names('在雄县')).toEqual(['雄县']);
    expect(names('保定雄县')).toEqual(['保定', '雄县']);
    expect(names('重庆忠县')).toEqual(['重庆', '忠县']);
  });

  it('rejects common words that contain place names', () => {
    expect(names('确保社会长治久安')).toEqual([]);
    expect(names('隆重庆祝新中国成立70周年')).toEqual([]);
    expect(names('黄河北岸的村庄')).toEqual([]);
    expect(names('把东西藏起来')).toEqual([]);
    expect(names('下决心解决文山会海、弄虚作假等问题')).toEqual([]);
    expect(names('大同小异')).toEqual([]);
    expect(names('为幸福建设添砖加瓦')).toEqual([]);
    expect(names('70周年大庆')).toEqual([]);
    expect(names('未开封的文件')).toEqual([]);
    expect(names('建设新乡村')).toEqual([]);
    expect(names('祝愿大家幸福安康')).toEqual([]);
    expect(names('孙中山先生')).toEqual([]);
    expect(names('日照时间长')).toEqual([]);
    expect(names('重大理论问题')).toEqual([]);
    expect(names('开展集中卫生整治')).toEqual([]);
    expect(names('建成都市圈')).toEqual([]);
    expect(names('聚焦作风建设')).toEqual([]);
    expect(names('新疆境内蒙古族群众')).toEqual(['新疆']);
    expect(names('社保定点医院')).toEqual([]);
    expect(names('长白山')).toEqual(['长白山']); // the mountain (吉林), not the city 白山
    expect(names('美丽江西')).toEqual(['江西']);
  });

  it('rejects street names, 区域 and person names', () => {
    expect(names('上海南京路步行街')).toEqual(['上海']);
    expect(names('北京西路')).toEqual([]);
    expect(names('陆家嘴街道')).toEqual(['陆家嘴']);
    expect(names('河北区域协同发展')).toEqual(['河北']);
    expect(names('天津市河北区人民政府')).toEqual(['天津', '河北区']);
    expect(names('王长春同志')).toEqual([]);
  });

  it('accepts ambiguous city names only with a suffix, after their province, or in a list', () => {
    expect(names('开封市')).toEqual(['开封']);
    expect(names('河南开封')).toEqual(['河南', '开封']);
    expect(names('开封、洛阳等地')).toEqual(['开封', '洛阳']);
    expect(names('洛阳、开封、新乡等地')).toEqual(['洛阳', '开封', '新乡']);
    expect(names('黑龙江大庆推进')).toEqual(['黑龙江', '大庆']);
    expect(names('大庆油田')).toEqual([]);
    expect(names('中山市')).toEqual(['中山']);
    expect(names('广东中山')).toEqual(['广东', '中山']);
    expect(names('中山大学')).toEqual([]);
    expect(names('长治')).toEqual(['长治']);
  });

  it('never matches one-character abbreviations', () => {
    expect(names('冀鲁豫三省')).toEqual([]);
    expect(names('京津冀协同发展')).toEqual([]);
    expect(names('沪')).toEqual([]);
  });

  it('reports offsets and surfaces', () => {
    const text = '湖南长沙市将强化基本生活保障';
    const ms = findRegionMentions(text);
    expect(ms.map((m) => [m.start, m.end, m.surface])).toEqual([
      [0, 2, '湖南'],
      [2, 5, '长沙市'],
    ]);
    for (const m of ms) expect(text.slice(m.start, m.end)).toBe(m.surface);
    expect(regionsMentioned('北京、北京市、天津').map((r) => r.name)).toEqual(['北京', '天津']);
  });

  it('works on traditional text after toSimplified', () => {
    expect(names(toSimplified('內蒙古呼和浩特市、廣西壯族自治區、臺灣'))).toEqual(['内蒙古', '呼和浩特', '广西', '台湾']);
  });
});

describe('findEnglishRegionMentions', () => {
  it('finds provinces and cities on word boundaries, case-insensitively', () => {
    expect(en("What did Beijing's committee decide?")).toEqual(['Beijing→北京']);
    expect(en('How is Inner Mongolia doing?')).toEqual(['Inner Mongolia→内蒙古']);
    expect(en('campaign in Heilongjiang province')).toEqual(['Heilongjiang province→黑龙江']);
    expect(en('HEBEI and hebei')).toEqual(['HEBEI→河北', 'hebei→河北']);
    expect(en("Xi'an's plan and Hong Kong SAR")).toEqual(["Xi'an→西安", 'Hong Kong SAR→香港']);
    expect(en('Inner Mongolia Autonomous Region')).toEqual(['Inner Mongolia Autonomous Region→内蒙古']);
    expect(en('Tibet, Xinjiang and Ningxia')).toEqual(['Tibet→西藏', 'Xinjiang→新疆', 'Ningxia→宁夏']);
  });

  it('uses suffix words to choose among same-named places', () => {
    expect(en('Jilin City officials')).toEqual(['Jilin City→吉林市']);
    expect(en('Jilin officials')).toEqual(['Jilin→吉林']);
    expect(en('Jilin Province')).toEqual(['Jilin Province→吉林']);
    expect(en('Hainan Tibetan Autonomous Prefecture')).toEqual(['Hainan Tibetan Autonomous Prefecture→海南州']);
    expect(en('Hubei city of Wuhan')).toEqual(['Hubei→湖北', 'Wuhan→武汉']);
    expect(en('Jilin city of Changchun')).toEqual(['Jilin→吉林', 'Changchun→长春']);
    expect(en('Xiongan New Area and Rongcheng County')).toEqual(['Xiongan New Area→雄安新区', 'Rongcheng County→容城县']);
  });

  it('ignores non-places, partial words and ambiguous English words', () => {
    expect(en('What happened in Zhihenan?')).toEqual([]);
    expect(en('Hebeitown and Shanghaied')).toEqual([]);
    expect(en('Ali said so')).toEqual([]);
    expect(en('Jilin, Changchun')).toEqual(['Jilin→吉林', 'Changchun→长春']);
  });

  it('reports offsets into the original text', () => {
    const text = 'Is Shijiazhuang in Hebei?';
    for (const m of findEnglishRegionMentions(text)) expect(text.slice(m.start, m.end)).toBe(m.surface);
    expect(findEnglishRegionMentions(text).map((m) => m.start)).toEqual([3, 19]);
  });
});
