import { describeShard } from '../helpers/redos-gate.ts';

describeShard(3, 4);
