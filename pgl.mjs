import { PGlite } from '@electric-sql/pglite';
let t=Date.now();
const a = new PGlite(); await a.waitReady; console.log('memory init', Date.now()-t);
t=Date.now(); const r = await a.query("select 1::int8 as a, 1.50::numeric as b, now() as c, '{}'::jsonb as d"); console.log(r.rows, Date.now()-t);
t=Date.now(); const dump = await a.dumpDataDir('none'); console.log('dump', Date.now()-t, dump.size);
t=Date.now(); const b = new PGlite({ loadDataDir: dump }); await b.waitReady; console.log('load from dump', Date.now()-t);
t=Date.now(); const c = new PGlite(); await c.waitReady; console.log('second memory init', Date.now()-t);
