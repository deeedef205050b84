#!/usr/bin/env node
import { createRequire as __createRequire } from 'node:module';
const require = __createRequire(import.meta.url);
var s={now:()=>Date.now(),sleep(r,o){return new Promise((n,e)=>{if(o?.aborted)return e(o.reason);let t=()=>{clearTimeout(m),e(o?.reason)},m=setTimeout(()=>{o?.removeEventListener("abort",t),n()},Math.max(0,r));o?.addEventListener("abort",t,{once:!0})})}};export{s as a};
