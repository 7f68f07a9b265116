// The report's pure pieces: highlights, changes, chart geometry. No database needed.
import { it, describe } from 'node:test';
import assert from 'node:assert/strict';
import type { QuestionFigures } from '../../src/reports/aggregate.ts';
import { distributionChart, divergingBar } from '../../src/reports/chart.ts';
import { meanChanges, strengthsAndFocus } from '../../src/reports/view.ts';
import { changeBetween, favourablePercent, leaningOf } from '../../src/domain/request-life.ts';

const agree = (id: string, mean: number | null, prompt = id): QuestionFigures => ({
  id,
  position: Number(id.replace(/\D/g, '')),
  kind: 'agree',
  prompt,
  choices: [],
  answered: 5,
  notApplicable: 0,
  suppressed: mean === null,
  mean,
  distribution: mean === null ? [] : [1, 1, 1, 1, 1],
});

describe('report view', () => {
  it('splits few statements between strengths and focus areas, never naming one twice', () => {
    const one = strengthsAndFocus([agree('q1', 4)], 'en');
    assert.deepEqual([one.strengths.length, one.focus.length], [1, 0]);
    const five = strengthsAndFocus(
      [agree('q1', 4), agree('q2', 2), agree('q3', 3), agree('q4', 5), agree('q5', 1), agree('q6', null)],
      'en',
    );
    assert.deepEqual(
      five.strengths.map((h) => h.prompt),
      ['q4', 'q1', 'q3'],
    );
    assert.deepEqual(
      five.focus.map((h) => h.prompt),
      ['q5', 'q2'],
    );
  });

  it('compares means by identical statement, only where both rounds have figures', () => {
    const changes = meanChanges(
      [agree('q1', 4, 'Listens'), agree('q2', 3, 'Explains'), agree('q3', 3.5, 'New'), agree('q4', null, 'Hidden now')],
      [agree('p1', 3.6, 'Listens'), agree('p2', null, 'Explains'), agree('p3', 2, 'Hidden now')],
      'en',
    );
    assert.deepEqual([...changes.keys()], ['q1']);
    assert.equal(changes.get('q1')!.amount, '+0.4');
    assert.equal(changeBetween(3.26, 3, 'en').amount, '−0.3');
    assert.equal(changeBetween(3.01, 3, 'en').amount, '±0.0');
    assert.equal(changeBetween(2.25, 4.04, 'en').amount, '+1.7', 'the difference of the means as shown, 2.3 and 4.0');
  });

  it('scales bars to the number of answers and describes the chart in words', () => {
    const chart = distributionChart(['Weekly', 'Monthly'], [3, 1], 'en');
    assert.deepEqual(
      chart.rows.map((r) => [r.barWidth, r.percent]),
      [
        [75, 75],
        [25, 25],
      ],
    );
    assert.equal(chart.description, 'Answers per option: Weekly 3, Monthly 1.');
    // One answer each of three is a third each, not three full bars.
    assert.deepEqual(
      distributionChart(['A', 'B', 'C'], [1, 1, 1], 'en').rows.map((r) => r.barWidth),
      [33, 33, 33],
    );
    assert.deepEqual(
      distributionChart(['A', 'B'], [0, 0], 'en').rows.map((r) => r.barWidth),
      [0, 0],
    );
  });

  // Worked by hand. Ten answers 1,2,2,3,4,4,4,5,5,5: disagree 1+2 = 3 of 10 = 30%, neutral 1 = 10%,
  // agree 3+3 = 6 = 60%, so 60% favourable; the segments start at 0, 30 and 40 of 100.
  it('splits an agree question into disagree, neutral and agree shares with their counts', () => {
    const bar = divergingBar([1, 2, 1, 3, 3], 'en');
    assert.deepEqual(
      bar.segments.map((s) => [s.side, s.count, s.percent, s.x, s.width]),
      [
        ['disagree', 3, 30, 0, 30],
        ['neutral', 1, 10, 30, 10],
        ['agree', 6, 60, 40, 60],
      ],
    );
    assert.equal(bar.favourable, 60);
    assert.equal(favourablePercent([1, 2, 1, 3, 3]), 60);
    assert.equal(bar.description, 'Disagree 3 (30%), neutral 1 (10%), agree 6 (60%).');
    // Three answers 1, 2, 3: two thirds disagree, one third neutral, none favourable. The
    // segments are scaled to the answers exactly; the shares are rounded for reading.
    const thirds = divergingBar([1, 1, 1, 0, 0], 'en');
    assert.deepEqual(
      thirds.segments.map((s) => [s.count, s.percent, s.x, s.width]),
      [
        [2, 67, 0, 66.67],
        [1, 33, 66.67, 33.33],
        [0, 0, 100, 0],
      ],
    );
    assert.equal(thirds.favourable, 0);
    assert.equal(favourablePercent([0, 0, 0, 2, 2]), 100, 'agree and strongly agree are both favourable');
  });

  it('colours a score by the way it leans, so a 2.3 focus area is not shown as good', () => {
    assert.deepEqual([4.4, 3.5, 3.46, 3.44, 3, 2.56, 2.5, 2.3].map(leaningOf), [
      'agree',
      'agree',
      'agree',
      'neutral',
      'neutral',
      'neutral',
      'disagree',
      'disagree',
    ]);
    const { strengths, focus } = strengthsAndFocus([agree('q1', 4.4), agree('q2', 2.3)], 'en');
    assert.deepEqual(
      [...strengths, ...focus].map((h) => [h.mean, h.leaning]),
      [
        ['4.4', 'agree'],
        ['2.3', 'disagree'],
      ],
    );
  });
});
