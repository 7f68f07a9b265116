// The rule for "clearly" (selfGap in src/domain/request-life.ts) and the lists the report
// builds with it (compareWithTeam): decided on the team's mean as the page shows it.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { selfGap } from '../../src/domain/request-life.ts';
import { compareWithTeam } from '../../src/self-assessment/comparison.ts';
import type { QuestionFigures } from '../../src/reports/aggregate.ts';

const agree = (id: string, position: number, mean: number | null, suppressed = false): QuestionFigures => ({
  id,
  position,
  kind: 'agree',
  prompt: `Statement ${id}`,
  choices: [],
  answered: suppressed ? 0 : 3,
  notApplicable: 0,
  suppressed,
  mean,
  distribution: [],
});
const own = (question_id: string, value: number | null, not_applicable = false) => ({
  question_id,
  value,
  not_applicable,
  text: null,
});

describe('selfGap', () => {
  it('counts a gap of exactly 1.0 on the mean as shown, either way, and nothing less', () => {
    assert.deepEqual(selfGap(5, 4.0, 'en'), { amount: '+1.0', kind: 'blind-spot' });
    assert.deepEqual(selfGap(3, 4.0, 'en'), { amount: '−1.0', kind: 'hidden-strength' });
    assert.deepEqual(selfGap(5, 4.1, 'en'), { amount: '+0.9', kind: 'in-line' });
    // 4.04 is shown as 4.0, so 5 is 1.0 above what the reader sees; 3.96 shows as 4.0 too.
    assert.deepEqual(selfGap(5, 4.04, 'en'), { amount: '+1.0', kind: 'blind-spot' });
    assert.deepEqual(selfGap(3, 3.96, 'en'), { amount: '−1.0', kind: 'hidden-strength' });
    assert.deepEqual(selfGap(4, 4.0, 'en'), { amount: '±0.0', kind: 'in-line' });
    assert.deepEqual(selfGap(1, 5, 'en'), { amount: '−4.0', kind: 'hidden-strength' });
  });
});

describe('compareWithTeam', () => {
  it('is null when the manager did not assess themself', () => {
    assert.equal(compareWithTeam([agree('a', 0, 4)], [], 'en'), null);
  });

  it('leaves out suppressed statements, not applicable and other kinds; lists the widest gap first', () => {
    const figures = [
      agree('a', 0, 2.3),
      agree('b', 1, 3.0),
      agree('c', 2, null, true),
      agree('d', 3, 4.7),
      agree('e', 4, 4.0),
      { ...agree('f', 5, null), kind: 'choice' as const, choices: ['x', 'y'] },
    ];
    const result = compareWithTeam(
      figures,
      [own('a', 4), own('b', 5), own('c', 5), own('d', 3), own('e', null, true), own('f', 1)],
      'en',
    )!;
    assert.deepEqual(
      result.blindSpots.map((i) => [i.id, i.amount]),
      [
        ['b', '+2.0'],
        ['a', '+1.7'],
      ],
    );
    assert.deepEqual(
      result.hiddenStrengths.map((i) => [i.id, i.amount]),
      [['d', '−1.7']],
    );
    assert.deepEqual([...result.byQuestion.keys()], ['a', 'b', 'd'], 'only shown agree statements it rated');
    assert.match(result.rule, /at least 1\.0 point/);
  });
});
