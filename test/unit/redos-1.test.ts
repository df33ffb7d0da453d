import { describeShard } from '../helpers/redos-gate.ts';

describeShard(0, 4);
