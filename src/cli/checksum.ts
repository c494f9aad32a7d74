/**
 * A checksum of the compile cache's entries (cli/boot.ts), cheap on a cold start: 0.3 ms to
 * instantiate and well under 1 ms for 500 KB, where zlib.crc32 costs 2 ms (node:zlib loads the
 * stream machinery) and a JavaScript loop 3 ms (it runs in the interpreter until V8 optimises
 * it). It guards against corruption (a flipped bit must not crash V8); boot.ts reads entries
 * only from a dir and files the user alone can write, which is what keeps others out.
 *
 * Fletcher's checksum over little-endian 32-bit words (the data zero-padded to a multiple of 4),
 * with wrap-around sums: `a` is 1 + the sum of the words, `b` the sum of the successive `a`s,
 * and the result `a ^ rotl(b, 16)`, xored with the length by checksum(). Any one flipped bit
 * changes `a`. The module, in WebAssembly text:
 *
 *   (module
 *     (memory (export "memory") 1)
 *     (func (export "sum") (param $end i32) (result i32)
 *       (local $i i32) (local $a i32) (local $b i32)
 *       (local.set $a (i32.const 1))
 *       (block $done
 *         (loop $next
 *           (br_if $done (i32.ge_u (local.get $i) (local.get $end)))
 *           (local.set $b (i32.add (local.tee $a (i32.add (local.get $a) (i32.load (local.get $i))))
 *                                  (local.get $b)))
 *           (local.set $i (i32.add (local.get $i) (i32.const 4)))
 *           (br $next)))
 *       (i32.xor (local.get $a) (i32.rotl (local.get $b) (i32.const 16)))))
 *
 * test/cli/checksum.test.ts holds it to a JavaScript implementation of the same sums.
 */
// prettier-ignore
const MODULE = Uint8Array.from([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // "\0asm", version 1
  0x01, 0x06, 0x01, 0x60, 0x01, 0x7f, 0x01, 0x7f, // types: (i32) -> i32
  0x03, 0x02, 0x01, 0x00, // functions: one, of type 0
  0x05, 0x03, 0x01, 0x00, 0x01, // memory: one, 1 page to start
  0x07, 0x10, 0x02, // exports: two
  0x06, 0x6d, 0x65, 0x6d, 0x6f, 0x72, 0x79, 0x02, 0x00, // "memory": memory 0
  0x03, 0x73, 0x75, 0x6d, 0x00, 0x00, // "sum": function 0
  0x0a, 0x37, 0x01, 0x35, 0x01, 0x03, 0x7f, // code: one body, 53 bytes; locals $i $a $b: i32
  0x41, 0x01, 0x21, 0x02, // a = 1
  0x02, 0x40, 0x03, 0x40, // block, loop
  0x20, 0x01, 0x20, 0x00, 0x4f, 0x0d, 0x01, // br_if done (i >= end)
  0x20, 0x02, 0x20, 0x01, 0x28, 0x02, 0x00, 0x6a, 0x22, 0x02, // a = a + load(i)
  0x20, 0x03, 0x6a, 0x21, 0x03, // b = a + b
  0x20, 0x01, 0x41, 0x04, 0x6a, 0x21, 0x01, // i = i + 4
  0x0c, 0x00, 0x0b, 0x0b, // br next; end loop; end block
  0x20, 0x02, 0x20, 0x03, 0x41, 0x10, 0x77, 0x73, // a ^ rotl(b, 16)
  0x0b, // end
]);

interface Exports {
  memory: WebAssembly.Memory;
  sum: (end: number) => number;
}
let wasm: Exports | undefined;

/** The entry's checksum: an unsigned 32-bit number. */
export function checksum(data: Uint8Array): number {
  wasm ??= new WebAssembly.Instance(new WebAssembly.Module(MODULE)).exports as unknown as Exports;
  const end = (data.length + 3) & ~3;
  const have = wasm.memory.buffer.byteLength;
  if (have < end) wasm.memory.grow(Math.ceil((end - have) / 65536));
  const view = new Uint8Array(wasm.memory.buffer, 0, end);
  view.set(data);
  view.fill(0, data.length);
  return (wasm.sum(end) ^ data.length) >>> 0;
}
