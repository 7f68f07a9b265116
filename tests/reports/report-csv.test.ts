// The CSV download: aggregates only, the fixture's figures, suppressed questions empty, and
// cells that a spreadsheet would run as formulas turned into text.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { describeEachDatabase } from '../helpers/databases.ts';
import { useTestApp } from '../helpers/suite.ts';
import { ManualClock } from '../../src/lib/clock.ts';
import { csvCell, csvFileName } from '../../src/reports/csv.ts';
import { createAnsweredRound } from '../helpers/factories.ts';

/** Enough of RFC 4180 for these files: quoted cells with doubled quotes, CRLF rows. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted && ch === '"' && text[i + 1] === '"') {
      cell += '"';
      i++;
    } else if (ch === '"') {
      quoted = !quoted;
    } else if (quoted || (ch !== ',' && ch !== '\r')) {
      cell += ch;
    } else if (ch === ',') {
      row.push(cell);
      cell = '';
    } else {
      // \r\n ends a row.
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    }
  }
  return rows;
}

describeEachDatabase('report CSV', (database) => {
  const { people, leader } = useTestApp(database, {
    clock: new ManualClock('2026-12-01T09:00:00Z'),
    signIn: ['leader'],
  });

  it("has a header and one row per question with the fixture's figures, suppressed ones empty, no comments", async () => {
    const { id } = await createAnsweredRound(database().db, {
      managerId: people().manager.id,
      leaderEmail: people().leader.email,
    });
    const file = await leader().get(`/reports/${id}.csv`);
    assert.equal(file.status, 200);
    assert.match(file.headers.get('content-type')!, /^text\/csv; charset=utf-8/);
    assert.match(
      file.headers.get('content-disposition')!,
      /^attachment; filename="?upward-report-mira-manager-2026-11-16\.csv"?$/,
    );
    const rows = parseCsv(file.html.replace(/^\uFEFF/, ''));
    assert.deepEqual(rows, [
      [
        'Question',
        'Kind',
        'Answered',
        'Not applicable',
        'Mean',
        'Options, in the order of the counts',
        'Count 1',
        'Count 2',
        'Count 3',
        'Count 4',
        'Count 5',
      ],
      [
        'My manager listens to me.',
        'agree scale',
        '5',
        '0',
        '4.00',
        'Strongly disagree | Disagree | Neither agree nor disagree | Agree | Strongly agree',
        '0',
        '1',
        '0',
        '2',
        '2',
      ],
      [
        'My manager follows up on what I raise.',
        'agree scale',
        '',
        '',
        '',
        'Strongly disagree | Disagree | Neither agree nor disagree | Agree | Strongly agree',
        '',
        '',
        '',
        '',
        '',
      ],
      ['How often should we meet?', 'single choice', '4', '0', '', 'Weekly | Monthly', '3', '1', '', '', ''],
    ]);
    assert.doesNotMatch(file.html, /Keep the weekly check-ins|More focus time|Clearer goals/);
  });

  it('neutralises cells a spreadsheet would run as a formula', async () => {
    const questions = [
      { kind: 'agree' as const, prompt: '=HYPERLINK("http://evil.example","click")' },
      { kind: 'choice' as const, prompt: '@SUM(1,2)', choices: ['-2+3', '+cmd'] },
    ];
    const { id } = await createAnsweredRound(database().db, {
      managerId: people().manager.id,
      leaderEmail: people().leader.email,
      questions,
      answers: [
        [4, 0],
        [4, 1],
        [5, 0],
      ],
    });
    const rows = parseCsv((await leader().get(`/reports/${id}.csv`)).html.replace(/^\uFEFF/, ''));
    assert.equal(rows[1]![0], `'=HYPERLINK("http://evil.example","click")`);
    assert.equal(rows[2]![0], `'@SUM(1,2)`);
    assert.equal(rows[2]![5], `'-2+3 | +cmd`);
    for (const row of rows) for (const cell of row) assert.doesNotMatch(cell, /^[=+\-@]/);
  });

  it('quotes commas, quotes and line breaks, and prefixes tab and carriage-return starts', () => {
    assert.equal(csvCell('a,b'), '"a,b"');
    assert.equal(csvCell('say "hi"'), '"say ""hi"""');
    assert.equal(csvCell('\t=1'), `'\t=1`);
    assert.equal(csvCell('\r=1'), `"'\r=1"`);
    assert.equal(csvCell(3), '3');
    assert.equal(csvCell(null), '');
  });

  it('names the file after whose report it is, in plain letters', () => {
    assert.equal(csvFileName('Zoë Ångström-Müller', '2026-11-16'), 'upward-report-zoe-angstrom-muller-2026-11-16.csv');
    assert.equal(csvFileName('mia@example.com', '2026-11-16'), 'upward-report-mia-example-com-2026-11-16.csv');
    assert.equal(csvFileName('李雷', '2026-11-16'), 'upward-report-manager-2026-11-16.csv');
  });
});
