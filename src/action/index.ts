/* The action entry (dist/index.js). All logic lives in main.ts so tests can import it. */
import { run } from './main.js'
import { keepShortLivedDocumentsYoung } from '../util/v8-heap.js'

keepShortLivedDocumentsYoung()
void run()
