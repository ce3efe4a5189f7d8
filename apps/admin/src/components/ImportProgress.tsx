import { Progress } from 'antd';
import { T } from '../lib/texts';
import type { UploadStage } from '../lib/upload';

/** An import's progress: the upload in percent, then the server reading and checking the file. */
export function ImportProgress({ stage }: { stage: UploadStage | null }) {
  if (!stage) return null;
  const text = stage.stage === 'uploading' ? T.importProgress.uploading(stage.percent) : T.importProgress.parsing;
  return <Progress aria-label={text} percent={stage.stage === 'uploading' ? stage.percent : 100} status="active" format={() => text} style={{ marginBottom: 12 }} />;
}
