// DuckDB peer for segment_bench: loads the bench's CSV into an in-memory table, then times
// SELECT count(*) for each query, one thread. Prints one JSON object per line:
//   {"load_s": ...} then {"name": ..., "runs_ms": [...], "count": N} per query,
//   or {"error": "..."}.
// Usage: node segment_duckdb.mjs <players.csv> <queries.json> <runs>   (npm install first)

import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

const [csv, queriesPath, runsText] = process.argv.slice(2);
const runs = Number(runsText ?? 7);

function sql(q) {
    const list = q.countries.map((c) => `'${c}'`).join(', ');
    let s = `SELECT count(*) FROM players WHERE country IN (${list})` +
        ` AND birth_day BETWEEN ${q.birth_lo} AND ${q.birth_hi}` +
        ` AND deposit_sum_30d >= ${q.sum_min}`;
    if (q.count_min !== null) s += ` AND deposit_count_30d >= ${q.count_min}`;
    if (q.login_after !== null) s += ` AND last_login_ms > ${q.login_after}`;
    if (q.churn_gt !== null) s += ` AND churn_risk > ${q.churn_gt}`;
    return s;
}

async function main() {
    let duckdb;
    try {
        duckdb = await import('@duckdb/node-api');
    } catch (e) {
        console.log(JSON.stringify({ error: `@duckdb/node-api not installed (run npm install in bench/): ${e.message}` }));
        return;
    }
    const instance = await duckdb.DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    await connection.run('SET threads = 1');
    const start = performance.now();
    await connection.run(
        `CREATE TABLE players AS SELECT * FROM read_csv('${csv}', header = true, columns = {` +
        `'player_id': 'BIGINT', 'country': 'VARCHAR', 'birth_day': 'INTEGER', ` +
        `'deposit_sum_30d': 'BIGINT', 'deposit_count_30d': 'INTEGER', ` +
        `'last_login_ms': 'BIGINT', 'churn_risk': 'DOUBLE'})`);
    console.log(JSON.stringify({ load_s: (performance.now() - start) / 1000 }));
    const queries = JSON.parse(readFileSync(queriesPath, 'utf8'));
    for (const q of queries) {
        const text = sql(q);
        let count = -1;
        await connection.runAndReadAll(text);  // warm-up
        const times = [];
        for (let i = 0; i < runs; ++i) {
            const t0 = performance.now();
            const reader = await connection.runAndReadAll(text);
            times.push(performance.now() - t0);
            count = Number(reader.getRows()[0][0]);
        }
        console.log(JSON.stringify({ name: q.name, runs_ms: times, count }));
    }
}

main().catch((e) => console.log(JSON.stringify({ error: String(e && e.message ? e.message : e) })));
