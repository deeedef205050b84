#!/usr/bin/env node
import { createRequire as __createRequire } from 'node:module';
const require = __createRequire(import.meta.url);
async function f(t,o=4194304){let{bytes:n,truncated:e}=await u(t,o);return{text:n.toString("utf8"),truncated:e}}async function u(t,o=4194304){if(!t.body)return{bytes:Buffer.alloc(0),truncated:!1};let n=t.body.getReader(),e=[],a=0,s=!1;for(;;){let{done:d,value:r}=await n.read();if(d)break;let c=o-a;if(r.byteLength>c){e.push(r.subarray(0,c)),s=!0,await n.cancel().catch(()=>{});break}e.push(r),a+=r.byteLength}return{bytes:Buffer.concat(e),truncated:s}}export{f as a,u as b};
