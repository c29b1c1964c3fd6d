import type { Cfg } from '../../api/config';

export type Store = NonNullable<Cfg['stores']>[number];
export type Gelato = NonNullable<Cfg['gelato']>;
export type StepProps = { draft: Cfg; setDraft: (f: (d: Cfg) => Cfg) => void };
