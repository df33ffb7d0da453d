import { describeShard } from '../helpers/redos-gate.ts';

describeShard(2, 4);
