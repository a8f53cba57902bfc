// Reads the links out of a graph hnswlib has saved (HierarchicalNSW::saveIndex),
// renumbering nodes by label so node n is passage n. The layout, as hnswlib
// writes it: a header of sizes and graph parameters; one record per node for
// layer 0 (link count, links, the float32 vector, the label); then per node
// its upper-layer link blocks, each preceded by its byte length.
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import type { Graph } from './hnsw-search.js';

const HEADER_BYTES = 96;

/** Reads `length` bytes at `position` (a short read is a truncated file). */
function readAt(fd: number, length: number, position: number): Buffer {
  const buffer = Buffer.allocUnsafe(length);
  let done = 0;
  while (done < length) {
    const n = readSync(fd, buffer, done, length - done, position + done);
    if (n === 0) throw new Error(`hnswlib file ends at ${position + done}, expected ${position + length} bytes`);
    done += n;
  }
  return buffer;
}

export function graphOfHnswlibFile(file: string): Graph {
  const fd = openSync(file, 'r');
  try {
    const header = readAt(fd, HEADER_BYTES, 0);
    const size = (at: number) => Number(header.readBigUInt64LE(at));
    const count = size(16);
    const perNode = size(24);
    const labelOffset = size(32);
    const maxLevel = header.readInt32LE(48);
    const entryInternal = header.readUInt32LE(52);
    const m = size(56);
    const m0 = size(64);
    // Labels are passage ids 0..count-1; internal numbers are insertion order.
    const labelOf = new Uint32Array(count);
    const level0Internal = new Uint32Array(count * (m0 + 1));
    const perChunk = Math.max(1, Math.floor((8 << 20) / perNode));
    for (let first = 0; first < count; first += perChunk) {
      const nodes = Math.min(perChunk, count - first);
      const chunk = readAt(fd, nodes * perNode, HEADER_BYTES + first * perNode);
      for (let i = 0; i < nodes; i++) {
        const at = i * perNode;
        const node = first + i;
        const links = chunk.readUInt16LE(at);
        if (links > m0) throw new Error(`node ${node} has ${links} links, more than ${m0}`);
        level0Internal[node * (m0 + 1)] = links;
        for (let j = 0; j < links; j++) level0Internal[node * (m0 + 1) + 1 + j] = chunk.readUInt32LE(at + 4 + 4 * j);
        const label = Number(chunk.readBigUInt64LE(at + labelOffset));
        if (label >= count) throw new Error(`label ${label} is out of range (${count} nodes)`);
        labelOf[node] = label;
      }
    }
    const upperAt = HEADER_BYTES + count * perNode;
    const rest = readAt(fd, fstatSync(fd).size - upperAt, upperAt);

    const level0 = new Uint32Array(count * (m0 + 1));
    for (let node = 0; node < count; node++) {
      const from = node * (m0 + 1);
      const to = labelOf[node]! * (m0 + 1);
      const links = level0Internal[from]!;
      level0[to] = links;
      for (let j = 1; j <= links; j++) level0[to + j] = labelOf[level0Internal[from + j]!]!;
    }

    const blocks: Array<Uint32Array | null> = new Array<Uint32Array | null>(count).fill(null);
    let at = 0;
    let total = 0;
    for (let node = 0; node < count; node++) {
      const bytes = rest.readUInt32LE(at);
      at += 4;
      if (bytes === 0) continue;
      const words = bytes / 4;
      if (words % (m + 1) !== 0) throw new Error(`node ${node} has an upper-layer record of ${bytes} bytes`);
      const block = new Uint32Array(words);
      for (let w = 0; w < words; w++) block[w] = rest.readUInt32LE(at + 4 * w);
      for (let layer = 0; layer < words; layer += m + 1) {
        const links = block[layer]! & 0xffff;
        block[layer] = links;
        for (let j = 1; j <= links; j++) block[layer + j] = labelOf[block[layer + j]!]!;
      }
      blocks[labelOf[node]!] = block;
      total += words;
      at += bytes;
    }
    const upperStart = new Uint32Array(count + 1);
    const upperLinks = new Uint32Array(total);
    let filled = 0;
    for (let label = 0; label < count; label++) {
      upperStart[label] = filled;
      const block = blocks[label];
      if (block) {
        upperLinks.set(block, filled);
        filled += block.length;
      }
    }
    upperStart[count] = filled;
    return { count, level0, m0, upperStart, upperLinks, m, entry: count ? labelOf[entryInternal]! : 0, maxLevel: Math.max(0, maxLevel) };
  } finally {
    closeSync(fd);
  }
}
