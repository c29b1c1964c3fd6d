import { crashRun } from '/work/main/test/reliability/crash-run';
const r = await crashRun({ orders: 60, kills: 5, seed: 11 });
console.log(JSON.stringify({ ...r, report: { ...r.report, eligible: r.report.eligible.length } }, null, 1));
