#!/usr/bin/env node
import { createRequire as __createRequire } from 'node:module';
const require = __createRequire(import.meta.url);
async function s(n,c=4194304){if(!n.body)return{text:"",truncated:!1};let r=n.body.getReader(),t=[],a=0,o=!1;for(;;){let{done:u,value:e}=await r.read();if(u)break;let d=c-a;if(e.byteLength>d){t.push(e.subarray(0,d)),o=!0,await r.cancel().catch(()=>{});break}t.push(e),a+=e.byteLength}return{text:Buffer.concat(t).toString("utf8"),truncated:o}}export{s as a};
