/**
 * Go's text/tabwriter test vectors (golang/go src/text/tabwriter/tabwriter_test.go, `tests`), the ones with no
 * flags and no escape or form-feed characters: `oc describe` runs its text through that writer (tabbedString in
 * openshift/oc pkg/helpers/describe/helpers.go), so ours must lay text out the same.
 */
import { describe, expect, it } from '@jest/globals'
import { tabwrite } from '../../src/report/tabwriter.js'

type Vector = [
  name: string,
  minWidth: number,
  tabWidth: number,
  padding: number,
  padChar: string,
  src: string,
  want: string
]

const vectors: Vector[] = [
  ['2', 8, 0, 1, '.', '\n\n\n', '\n\n\n'],
  ['3', 8, 0, 1, '.', 'a\nb\nc', 'a\nb\nc'],
  ['4a', 8, 0, 1, '.', '\t', ''],
  ['5', 8, 0, 1, '.', '*\t*', '*.......*'],
  ['5b', 8, 0, 1, '.', '*\t*\n', '*.......*\n'],
  ['5c', 8, 0, 1, '.', '*\t*\t', '*.......*'],
  ['6', 8, 0, 1, '.', '\t\n', '........\n'],
  ['7a', 8, 0, 1, '.', 'a) foo', 'a) foo'],
  ['7b', 8, 0, 1, ' ', 'b) foo\tbar', 'b) foo  bar'],
  ['7c', 8, 0, 1, '.', 'c) foo\tbar\t', 'c) foo..bar'],
  ['7d', 8, 0, 1, '.', 'd) foo\tbar\n', 'd) foo..bar\n'],
  ['7e', 8, 0, 1, '.', 'e) foo\tbar\t\n', 'e) foo..bar.....\n'],
  ['8', 8, 0, 1, '*', 'Hello, world!\n', 'Hello, world!\n'],
  ['9a', 1, 0, 0, '.', '1\t2\t3\t4\n11\t222\t3333\t44444\n', '1.2..3...4\n11222333344444\n'],
  ['10a', 5, 0, 0, '.', '1\t2\t3\t4\n', '1....2....3....4\n'],
  ['10b', 5, 0, 0, '.', '1\t2\t3\t4\t\n', '1....2....3....4....\n'],
  [
    '11',
    8,
    0,
    1,
    '.',
    '本\tb\tc\naa\t本本本\tcccc\tddddd\naaa\tbbbb\n',
    '本.......b.......c\naa......本本本.....cccc....ddddd\naaa.....bbbb\n'
  ],
  ['12b', 2, 0, 0, ' ', 'a\tb\tc\naa\tbbb\tcccc\naaa\tbbbb\n', 'a  b  c\naa bbbcccc\naaabbbb\n'],
  [
    '12c',
    8,
    0,
    1,
    '_',
    'a\tb\tc\naa\tbbb\tcccc\naaa\tbbbb\n',
    'a_______b_______c\naa______bbb_____cccc\naaa_____bbbb\n'
  ],
  [
    '13a',
    4,
    0,
    1,
    '-',
    '4444\t日本語\t22\t1\t333\n999999999\t22\n7\t22\n\t\t\t88888888\n\n666666\t666666\t666666\t4444\n1\t1\t999999999\t0000000000\n',
    '4444------日本語-22--1---333\n999999999-22\n7---------22\n------------------88888888\n\n666666-666666-666666----4444\n1------1------999999999-0000000000\n'
  ],
  [
    '13b',
    4,
    0,
    3,
    '.',
    '4444\t333\t22\t1\t333\n999999999\t22\n7\t22\n\t\t\t88888888\n\n666666\t666666\t666666\t4444\n1\t1\t999999999\t0000000000\n',
    '4444........333...22...1...333\n999999999...22\n7...........22\n....................88888888\n\n666666...666666...666666......4444\n1........1........999999999...0000000000\n'
  ],
  // 13c pads with tabs (tab width 8), as oc does; its HTML markup, which FilterHTML gives no width, is left out.
  [
    '13c',
    8,
    8,
    1,
    '\t',
    '4444\t333\t22\t1\t333\n999999999\t22\n7\t22\n\t\t\t88888888\n\n666666\t666666\t666666\t4444\n1\t1\t999999999\t0000000000\n',
    '4444\t\t333\t22\t1\t333\n999999999\t22\n7\t\t22\n\t\t\t\t88888888\n\n666666\t666666\t666666\t\t4444\n1\t1\t999999999\t0000000000\n'
  ],
  [
    '16a',
    100,
    100,
    0,
    '\t',
    'a\tb\t\td\na\tb\t\td\te\na\na\tb\tc\td\na\tb\tc\td\te\n',
    'a\tb\t\td\na\tb\t\td\te\na\na\tb\tc\td\na\tb\tc\td\te\n'
  ]
]

describe("Go's text/tabwriter (golang/go tabwriter_test.go vectors)", () => {
  it.each(vectors)('vector %s', (_name, minWidth, tabWidth, padding, padChar, src, want) => {
    expect(tabwrite(src, { minWidth, tabWidth, padding, padChar })).toBe(want)
  })
})
