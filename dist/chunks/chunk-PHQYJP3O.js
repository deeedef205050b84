#!/usr/bin/env node
import { createRequire as __createRequire } from 'node:module';
const require = __createRequire(import.meta.url);
import{a as g}from"./chunk-WGMPI4NK.js";import{d as l}from"./chunk-Y3RWSZVK.js";var u=l(g(),1),v=1<<20,C=(a,p,n={})=>new Promise(i=>{let r=(0,u.spawn)(a,[...p],{cwd:n.cwd,env:n.env,stdio:["ignore","pipe","pipe"]}),o={stdout:"",stderr:""},s={stdout:"",stderr:""},c=t=>d=>{let e=d.toString("utf8");if(o[t]=(o[t]+e).slice(-v),!n.onLine)return;let m=(s[t]+e).split(`
`);s[t]=m.pop()??"";for(let f of m)n.onLine(f)};r.stdout.on("data",c("stdout")),r.stderr.on("data",c("stderr")),r.on("error",t=>i({code:127,stdout:o.stdout,stderr:`${o.stderr}${t.message}`})),r.on("close",(t,d)=>{for(let e of[s.stdout,s.stderr])e&&n.onLine&&n.onLine(e);i({code:t??(d?128:1),...o})})});export{C as a};
