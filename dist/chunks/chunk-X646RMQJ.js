#!/usr/bin/env node
import { createRequire as __createRequire } from 'node:module';
const require = __createRequire(import.meta.url);
var i={SIGINT:130,SIGTERM:143};function s(t,n=process){let o=new AbortController,r;for(let e of["SIGINT","SIGTERM"]){let c=()=>{r??=i[e],o.abort(new Error(`${e} received`))};t==="every"?n.on(e,c):n.once(e,c)}return{signal:o.signal,exitCode:()=>r}}export{s as a};
