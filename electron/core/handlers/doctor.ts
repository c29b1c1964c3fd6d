import { runDoctor } from '../checks/index';
import type { HandlersOf } from '../context';

/** doctor.*: the troubleshooting checks. */
export const doctorHandlers = {
  'doctor.run': (ctx) => runDoctor(ctx),
} satisfies HandlersOf<'doctor'>;
