// npm run bench: make sure dist/ is current, then run the benchmark harness in bench/.
import { spawnSync } from 'node:child_process';
const b = spawnSync('npx', ['tsc', '-p', 'tsconfig.json'], { stdio: 'inherit' });
if (b.status !== 0) process.exit(b.status ?? 1);
const r = spawnSync(process.execPath, ['bench/run.mjs'], { stdio: 'inherit' });
process.exit(r.status ?? 1);
