import { describeShard } from '../helpers/redos-gate.ts';

describeShard(1, 4);
