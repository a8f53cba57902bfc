import { describe, expect, it } from 'vitest';
import { askedFor, answerKind } from './answer-kind.js';

describe('what a question asks for', () => {
  it.each([
    ['这个县一共新修了多少公里公路？', 'number'],
    ['合作社吸纳了几户贫困户？', 'number'],
    ['该镇的森林覆盖率提高到百分之几？', 'number'],
    ['How many villages joined the pilot?', 'number'],
    ['How much did the new clinic cost?', 'number'],
    ['培训班是哪天开班的？', 'date'],
    ['调研组什么时候到的乡里？', 'date'],
    ['新馆何时对外开放？', 'date'],
    ['When did the county launch the hotline?', 'date'],
    ['那次座谈会是谁主持的？', 'person'],
    ['市卫健委的主任叫什么？', 'person'],
    ['Who chaired the study session?', 'person'],
    ['表彰大会在哪里举行？', 'place'],
    ['报告会是在什么地方开的？', 'place'],
    ['江西哪个县办了夜校？', 'place'],
    ['Where was the exhibition held?', 'place'],
    ['整治清单包括哪些内容？', 'list'],
    ['这三条措施分别是什么？', 'list'],
    ['Which measures did the bureau adopt?', 'list'],
    ['街道是怎么化解物业纠纷的？', 'description'],
    ['为什么要把课堂搬到田间？', 'description'],
    ['What did the mayor say about flood control?', 'description'],
    ['乡村振兴', 'description'],
  ])('%s → %s', (question, kind) => {
    expect(answerKind(question)).toBe(kind);
  });

  it('reads traditional characters', () => {
    expect(answerKind('這個縣一共新修了多少公里公路？')).toBe('number');
    expect(answerKind('座談會是誰主持的？')).toBe('person');
    expect(answerKind('培訓班是哪天開班的？')).toBe('date');
  });

  it('takes the last question phrase: the final clause is the ask', () => {
    expect(answerKind('那个镇有没有搞垃圾分类？具体做了哪些？')).toBe('list');
    expect(answerKind('哪几个部门参加了？')).toBe('list');
  });

  it('notes the measure asked for, and what is counted', () => {
    expect(askedFor('新建的文化站花了多少钱？').measure).toBe('money');
    expect(askedFor('集训持续了多久？').measure).toBe('time');
    expect(askedFor('走访了多少名群众？')).toMatchObject({ measure: '名', target: '群众' });
    expect(askedFor('全县有多少党员？').target).toBe('党员');
    expect(askedFor('纪念馆是哪一年建成的？').measure).toBe('year');
    expect(askedFor('动员会是哪天开的？').measure).toBe('day');
  });

  it('notes the level of place and the number of items asked for', () => {
    expect(askedFor('湖南哪个市开了现场会？')).toMatchObject({ kind: 'place', level: 2 });
    expect(askedFor('有哪些区县参加了？')).toMatchObject({ kind: 'place', level: 3 });
    expect(askedFor('这五个环节具体是哪五个？')).toMatchObject({ kind: 'list', count: 5 });
    expect(askedFor('那12项任务具体都有哪些？')).toMatchObject({ kind: 'list', count: 12 });
  });
});
