import type { HandlersOf } from '../context';
import { textOf } from '../i18n';
import { statusWriterChoices } from '../status-writer/check';
import { statusScriptConfig, statusScriptSource } from '../status-writer/megascript';
import { STATUS_WRITER_MSG } from '../status-writer/messages';
import { statusWriterSelfTest } from '../status-writer/self-test';

const instructions = () => [...STATUS_WRITER_MSG.megascriptNeeds(), STATUS_WRITER_MSG.megascriptVerify()];

/** statusWriter.*: how status and tracking reach Infigo: the choices, the MegaScript to paste, its self-test. */
export const statusWriterHandlers = {
  'statusWriter.choices': (ctx) => statusWriterChoices(ctx),
  'statusWriter.megascript': (ctx, { storeId }) => ({
    storeId,
    source: statusScriptSource(),
    config: JSON.stringify(statusScriptConfig(ctx, storeId), null, 2),
    instructions: instructions().map(textOf),
    instructionMsgs: instructions(),
  }),
  'statusWriter.selfTest': (ctx, { storeId }) => statusWriterSelfTest(ctx, storeId),
} satisfies HandlersOf<'statusWriter'>;
