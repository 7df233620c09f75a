/** vitest setupFiles: runs in every test worker before its files. */
import { hashCheaplyForTests } from '../../src/auth/password.ts';

hashCheaplyForTests();
import '../../src/messages.ts';
