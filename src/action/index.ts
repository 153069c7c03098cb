/* The action entry (dist/index.js). All logic lives in main.ts so tests can import it. */
import { run } from './main.js'

void run()
