// `npm run bench` measures opening cases (./complaints.ts); `npm run bench -- reads`, reads (./reads.ts).
if (process.argv[2] === 'reads') void import('./reads');
else void import('./complaints');
