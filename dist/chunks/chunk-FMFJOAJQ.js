#!/usr/bin/env node
import { createRequire as __createRequire } from 'node:module';
const require = __createRequire(import.meta.url);
function r(e){return e.command==="status"?e.result==="failed"?1:0:e.result==="rolled-back"||e.result==="failed"?1:0}function a(e){return(e??[]).filter(t=>t.revisionName).map(t=>({revisionName:t.revisionName,percent:t.percent??0,...t.tag?{tag:t.tag}:{}}))}export{r as a,a as b};
