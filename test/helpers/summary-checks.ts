// What every rendered summary page must be, whatever its kind: Mermaid blocks that
// Mermaid itself parses, tables whose rows all have the header's columns, under GitHub's
// 1 MiB, none of the judge's code names or raw odds.

import { jest } from '@jest/globals'
import { SUMMARY_LIMIT_BYTES } from '../../src/report/summary.js'

// mermaid.parse runs in Node but for DOMPurify, which needs a browser's DOM to build itself;
// parsing sanitises nothing, so a stand-in with DOMPurify's methods is enough.
jest.unstable_mockModule('dompurify', () => ({
  default: {
    addHook: () => undefined,
    removeHook: () => undefined,
    removeHooks: () => undefined,
    removeAllHooks: () => undefined,
    sanitize: (s: string) => s,
    isSupported: true
  }
}))

/** The page's Mermaid blocks' sources. */
export function mermaidBlocks(md: string): string[] {
  return [...md.matchAll(/^```mermaid\n([\s\S]*?)\n```$/gm)].map((m) => m[1])
}

/** Each Markdown table as its rows' cell counts (escaped pipes are text, not separators). */
export function tableShapes(md: string): number[][] {
  const tables: number[][] = []
  let current: number[] | undefined
  for (const line of md.split('\n')) {
    if (line.startsWith('|')) {
      const cells = line.replace(/\\\|/g, '').split('|').length - 2
      if (!current) tables.push((current = []))
      current.push(cells)
    } else current = undefined
  }
  return tables
}

export async function expectWellFormed(md: string): Promise<void> {
  const { default: mermaid } = await import('mermaid')
  for (const block of mermaidBlocks(md)) {
    const parsed = await mermaid.parse(block)
    expect(parsed).toMatchObject({ diagramType: 'xychart' })
  }
  for (const shape of tableShapes(md)) {
    expect(shape.length).toBeGreaterThanOrEqual(2)
    expect(new Set(shape)).toEqual(new Set([shape[0]]))
  }
  expect(Buffer.byteLength(md)).toBeLessThanOrEqual(SUMMARY_LIMIT_BYTES)
  for (const raw of ['(evidence ', 'latencyZ', 'errorEvidence', '→ ?', '(latest) 0%'])
    expect(md).not.toContain(raw)
}
