;; PCL raster plane encoder in WebAssembly (SIMD): the same bytes as PclRasterEncoder's TypeScript path in
;; pcl-raster.ts, delta-row.ts and packbits.ts (the reference, and the fallback): delta row (compression mode 3)
;; against the seed row, TIFF PackBits (mode 2) where it can be shorter, the ESC*b#M switch, the ESC*b#W/V transfer
;; command and the seed update. pcl-plane-wasm.ts lays out the memory (row, seeds, PackBits scratch, output, each
;; with slack for 8- and 16-byte loads and stores). After editing, run `npm run wasm` (wat2wasm, Debian's wabt) to
;; regenerate pcl-rows-wasm.ts; a test checks the two agree.
;; SPDX-License-Identifier: Apache-2.0
(module
  (memory (export "memory") 1)
  ;; compression mode in effect (-1 unknown, 2 PackBits, 3 delta row)
  (global $mode (export "mode") (mut i32) (i32.const -1))

  (func (export "reset") (global.set $mode (i32.const -1)))

  ;; ESC * b <decimal v> <term> at o; returns the end.
  (func $cmd (param $o i32) (param $v i32) (param $term i32) (result i32)
    (local $d i32)
    (i32.store8 (local.get $o) (i32.const 0x1b))
    (i32.store8 offset=1 (local.get $o) (i32.const 0x2a))
    (i32.store8 offset=2 (local.get $o) (i32.const 0x62))
    (local.set $o (i32.add (local.get $o) (i32.const 3)))
    (local.set $d (i32.const 1))
    (block $big (loop $grow
      (br_if $big (i32.gt_u (i32.mul (local.get $d) (i32.const 10)) (local.get $v)))
      (local.set $d (i32.mul (local.get $d) (i32.const 10)))
      (br $grow)))
    (loop $digit
      (i32.store8 (local.get $o) (i32.add (i32.const 0x30) (i32.rem_u (i32.div_u (local.get $v) (local.get $d)) (i32.const 10))))
      (local.set $o (i32.add (local.get $o) (i32.const 1)))
      (local.set $d (i32.div_u (local.get $d) (i32.const 10)))
      (br_if $digit (local.get $d)))
    (i32.store8 (local.get $o) (local.get $term))
    (i32.add (local.get $o) (i32.const 1)))

  ;; One delta-row command replacing row[start..end) (1..8 bytes) `off` bytes after the previous one.
  (func $replace (param $row i32) (param $start i32) (param $end i32) (param $off i32) (param $o i32) (result i32)
    (local $rest i32)
    (i32.store8 (local.get $o)
      (i32.or (i32.shl (i32.sub (i32.sub (local.get $end) (local.get $start)) (i32.const 1)) (i32.const 5))
              (select (local.get $off) (i32.const 31) (i32.lt_u (local.get $off) (i32.const 31)))))
    (local.set $o (i32.add (local.get $o) (i32.const 1)))
    (if (i32.ge_u (local.get $off) (i32.const 31))
      (then
        (local.set $rest (i32.sub (local.get $off) (i32.const 31)))
        (block $short (loop $ext
          (br_if $short (i32.lt_u (local.get $rest) (i32.const 255)))
          (i32.store8 (local.get $o) (i32.const 255))
          (local.set $o (i32.add (local.get $o) (i32.const 1)))
          (local.set $rest (i32.sub (local.get $rest) (i32.const 255)))
          (br $ext)))
        (i32.store8 (local.get $o) (local.get $rest))
        (local.set $o (i32.add (local.get $o) (i32.const 1)))))
    ;; the replacement bytes as one 8-byte move (the areas have slack; bytes past end are overwritten later)
    (i64.store (local.get $o) (i64.load (i32.add (local.get $row) (local.get $start))))
    (i32.add (local.get $o) (i32.sub (local.get $end) (local.get $start))))

  ;; Delta row of row[0..n) against seed[0..n) written at out; returns the end. Changed bytes are found 16 at a
  ;; time and grouped greedily, at most eight per command, exactly as deltaRow() in delta-row.ts.
  (func $delta (param $row i32) (param $seed i32) (param $n i32) (param $out i32) (result i32)
    (local $i i32) (local $m i32) (local $p i32) (local $pos i32) (local $start i32) (local $end i32)
    (local $o i32) (local $stop i32)
    (local.set $start (i32.const -1))
    (local.set $end (i32.const -1))
    (local.set $o (local.get $out))
    (local.set $stop (i32.and (local.get $n) (i32.const -16)))
    (block $words (loop $vector
      (br_if $words (i32.ge_u (local.get $i) (local.get $stop)))
      ;; m: one bit per changed byte of i..i+15
      (local.set $m (i8x16.bitmask (v128.not (i8x16.eq
        (v128.load (i32.add (local.get $row) (local.get $i)))
        (v128.load (i32.add (local.get $seed) (local.get $i)))))))
      (block $bits (loop $bit
        (br_if $bits (i32.eqz (local.get $m)))
        (local.set $p (i32.add (local.get $i) (i32.ctz (local.get $m))))
        (local.set $m (i32.and (local.get $m) (i32.sub (local.get $m) (i32.const 1))))
        (if (i32.and (i32.eq (local.get $p) (local.get $end))
                     (i32.lt_s (i32.sub (local.get $end) (local.get $start)) (i32.const 8)))
          (then (local.set $end (i32.add (local.get $end) (i32.const 1))))
          (else
            (if (i32.ge_s (local.get $start) (i32.const 0))
              (then
                (local.set $o (call $replace (local.get $row) (local.get $start) (local.get $end)
                                             (i32.sub (local.get $start) (local.get $pos)) (local.get $o)))
                (local.set $pos (local.get $end))))
            (local.set $start (local.get $p))
            (local.set $end (i32.add (local.get $p) (i32.const 1)))))
        (br $bit)))
      (local.set $i (i32.add (local.get $i) (i32.const 16)))
      (br $vector)))
    ;; the last n % 16 bytes one by one
    (block $tail (loop $byte
      (br_if $tail (i32.ge_u (local.get $i) (local.get $n)))
      (if (i32.ne (i32.load8_u (i32.add (local.get $row) (local.get $i)))
                  (i32.load8_u (i32.add (local.get $seed) (local.get $i))))
        (then
          (if (i32.and (i32.eq (local.get $i) (local.get $end))
                       (i32.lt_s (i32.sub (local.get $end) (local.get $start)) (i32.const 8)))
            (then (local.set $end (i32.add (local.get $end) (i32.const 1))))
            (else
              (if (i32.ge_s (local.get $start) (i32.const 0))
                (then
                  (local.set $o (call $replace (local.get $row) (local.get $start) (local.get $end)
                                               (i32.sub (local.get $start) (local.get $pos)) (local.get $o)))
                  (local.set $pos (local.get $end))))
              (local.set $start (local.get $i))
              (local.set $end (i32.add (local.get $i) (i32.const 1)))))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $byte)))
    (if (i32.ge_s (local.get $start) (i32.const 0))
      (then
        (local.set $o (call $replace (local.get $row) (local.get $start) (local.get $end)
                                     (i32.sub (local.get $start) (local.get $pos)) (local.get $o)))))
    (local.get $o))

  ;; Length of row[0..n) without its trailing zero bytes.
  (func $used (param $row i32) (param $n i32) (result i32)
    (block $words (loop $word
      (br_if $words (i32.lt_u (local.get $n) (i32.const 8)))
      (br_if $words (i64.ne (i64.load (i32.sub (i32.add (local.get $row) (local.get $n)) (i32.const 8))) (i64.const 0)))
      (local.set $n (i32.sub (local.get $n) (i32.const 8)))
      (br $word)))
    (block $bytes (loop $byte
      (br_if $bytes (i32.eqz (local.get $n)))
      (br_if $bytes (i32.load8_u (i32.sub (i32.add (local.get $row) (local.get $n)) (i32.const 1))))
      (local.set $n (i32.sub (local.get $n) (i32.const 1)))
      (br $byte)))
    (local.get $n))

  ;; PackBits of src[0..len) at out, as packBitsWithin() in packbits.ts: returns the length, or -1 once it would
  ;; exceed `limit` bytes.
  (func $packBits (param $src i32) (param $len i32) (param $out i32) (param $limit i32) (result i32)
    (local $o i32) (local $stop i32) (local $i i32) (local $j i32) (local $k i32) (local $v i32) (local $lim i32)
    (local.set $o (local.get $out))
    (local.set $stop (i32.add (local.get $out) (local.get $limit)))
    (block $done (loop $next
      (br_if $done (i32.ge_u (local.get $i) (local.get $len)))
      (if (i32.gt_s (local.get $o) (local.get $stop)) (then (return (i32.const -1))))
      (local.set $v (i32.load8_u (i32.add (local.get $src) (local.get $i))))
      (local.set $lim (select (local.get $len) (i32.add (local.get $i) (i32.const 128))
                              (i32.lt_u (local.get $len) (i32.add (local.get $i) (i32.const 128)))))
      (local.set $j (i32.add (local.get $i) (i32.const 1)))
      ;; a zero run skips eight bytes at a time
      (if (i32.eqz (local.get $v))
        (then
          (block $zeros (loop $zero
            (br_if $zeros (i32.gt_u (i32.add (local.get $j) (i32.const 8)) (local.get $lim)))
            (br_if $zeros (i64.ne (i64.load (i32.add (local.get $src) (local.get $j))) (i64.const 0)))
            (local.set $j (i32.add (local.get $j) (i32.const 8)))
            (br $zero)))))
      (block $ran (loop $run
        (br_if $ran (i32.ge_u (local.get $j) (local.get $lim)))
        (br_if $ran (i32.ne (i32.load8_u (i32.add (local.get $src) (local.get $j))) (local.get $v)))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br $run)))
      (if (i32.ge_u (i32.sub (local.get $j) (local.get $i)) (i32.const 2))
        (then
          (i32.store8 (local.get $o) (i32.sub (i32.const 257) (i32.sub (local.get $j) (local.get $i))))
          (i32.store8 offset=1 (local.get $o) (local.get $v))
          (local.set $o (i32.add (local.get $o) (i32.const 2)))
          (local.set $i (local.get $j))
          (br $next)))
      ;; a literal from i up to where three equal bytes begin
      (local.set $k (i32.add (local.get $i) (i32.const 1)))
      (block $lit (loop $scan
        (br_if $lit (i32.ge_u (local.get $k) (local.get $lim)))
        (if (i32.lt_u (i32.add (local.get $k) (i32.const 2)) (local.get $len))
          (then
            (local.set $v (i32.load8_u (i32.add (local.get $src) (local.get $k))))
            (br_if $lit (i32.and
              (i32.eq (local.get $v) (i32.load8_u offset=1 (i32.add (local.get $src) (local.get $k))))
              (i32.eq (local.get $v) (i32.load8_u offset=2 (i32.add (local.get $src) (local.get $k))))))))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (br $scan)))
      (i32.store8 (local.get $o) (i32.sub (i32.sub (local.get $k) (local.get $i)) (i32.const 1)))
      (memory.copy (i32.add (local.get $o) (i32.const 1)) (i32.add (local.get $src) (local.get $i))
                   (i32.sub (local.get $k) (local.get $i)))
      (local.set $o (i32.add (local.get $o) (i32.add (i32.const 1) (i32.sub (local.get $k) (local.get $i)))))
      (local.set $i (local.get $k))
      (br $next)))
    (if (i32.gt_s (local.get $o) (local.get $stop)) (then (return (i32.const -1))))
    (i32.sub (local.get $o) (local.get $out)))

  ;; One plane row: the shorter of delta row and PackBits (PackBits only tried where the delta is over a quarter of
  ;; the used bytes, and winning ties), with ESC*b#M when the mode changes and ESC*b#<term> (W or V) before the data,
  ;; written at out; the seed takes the row when it changed. Returns the bytes written.
  (func (export "plane") (param $row i32) (param $seed i32) (param $n i32) (param $out i32) (param $pack i32)
                         (param $term i32) (result i32)
    (local $dataAt i32) (local $deltaLen i32) (local $cost3 i32) (local $switch2 i32) (local $used i32)
    (local $packed i32) (local $mode i32) (local $len i32) (local $o i32)
    ;; room for ESC*b#M and ESC*b#W before the delta data
    (local.set $dataAt (i32.add (local.get $out) (i32.const 24)))
    (local.set $deltaLen (i32.sub (call $delta (local.get $row) (local.get $seed) (local.get $n) (local.get $dataAt))
                                  (local.get $dataAt)))
    (local.set $cost3 (i32.add (local.get $deltaLen) (select (i32.const 0) (i32.const 5) (i32.eq (global.get $mode) (i32.const 3)))))
    (local.set $switch2 (select (i32.const 0) (i32.const 5) (i32.eq (global.get $mode) (i32.const 2))))
    (local.set $used (call $used (local.get $row) (local.get $n)))
    (local.set $packed (i32.const -1))
    (if (i32.and
          (i32.gt_u (i32.mul (local.get $cost3) (i32.const 4)) (local.get $used))
          (i32.le_u (i32.add (i32.mul (i32.const 2) (i32.div_u (i32.add (local.get $used) (i32.const 127)) (i32.const 128)))
                             (local.get $switch2))
                    (local.get $cost3)))
      (then (local.set $packed (call $packBits (local.get $row) (local.get $used) (local.get $pack)
                                               (i32.sub (local.get $cost3) (local.get $switch2))))))
    (local.set $mode (select (i32.const 3) (i32.const 2) (i32.lt_s (local.get $packed) (i32.const 0))))
    (local.set $o (local.get $out))
    (if (i32.ne (local.get $mode) (global.get $mode))
      (then
        (local.set $o (call $cmd (local.get $o) (local.get $mode) (i32.const 0x4d)))
        (global.set $mode (local.get $mode))))
    (local.set $len (select (local.get $deltaLen) (local.get $packed) (i32.eq (local.get $mode) (i32.const 3))))
    (local.set $o (call $cmd (local.get $o) (local.get $len) (local.get $term)))
    (memory.copy (local.get $o) (select (local.get $dataAt) (local.get $pack) (i32.eq (local.get $mode) (i32.const 3)))
                 (local.get $len))
    (if (i32.or (i32.eq (local.get $mode) (i32.const 2)) (i32.gt_s (local.get $deltaLen) (i32.const 0)))
      (then (memory.copy (local.get $seed) (local.get $row) (local.get $n))))
    (i32.sub (i32.add (local.get $o) (local.get $len)) (local.get $out)))
)
