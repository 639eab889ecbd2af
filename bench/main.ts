// `npm run bench` measures opening cases (./complaints.ts); `npm run bench -- reads`, reads (./reads.ts).
if (process.argv[2] === 'reads') void import('./reads');
else if (process.argv[2] === 'cache-miss') void import('./cache-miss'); // a workflow cache miss (./cache-miss.ts)
else if (process.argv[2] === 'rss') void import('./rss'); // the worker's memory with many open cases (./rss.ts)
else if (process.argv[2] === 'storm') void import('./storm'); // the morning storm (./storm.ts)
else if (process.argv[2] === 'histories') void import('./histories'); // history per transition (./histories.ts)
else if (process.argv[2] === 'reconcile') void import('./reconcile'); // the reconciler at 100,000 cases (./reconcile.ts)
else if (process.argv[2] === 'actions') void import('./actions'); // the CQRG chair's reads (./actions.ts)
else if (process.argv[2] === 'reports') void import('./reports'); // the KO41a return and the reg 18 report (./reports.ts)
else if (process.argv[2] === 'cqrg') void import('./cqrg'); // the CQRG pack and the chair's provider page (./cqrg.ts)
else if (process.argv[2] === 'documents') void import('./documents'); // documents through the API against GridFS (./documents.ts)
else if (process.argv[2] === 'soak') void import('./soak'); // a day's background work, repeated (./soak.ts)
else if (process.argv[2] === 'search') void import('./search'); // search at 100,000 complaints (./search.ts)
else if (process.argv[2] === 'import') void import('./import'); // the import from the page at 10,000 rows (./import.ts)
else void import('./complaints');
