import { DeleteOutlined, EyeOutlined, PlusOutlined, SaveOutlined, SendOutlined } from '@ant-design/icons';
import { App, Button, Card, Drawer, Flex, Form, Input, Popconfirm, Select, Tag, Typography } from 'antd';
import { QUESTION_KIND_LABELS, QUESTION_KINDS, SURVEY_LIMITS, SURVEY_STATUS_LABELS, type QuestionKind, type Survey, type SurveyChannel, type SurveyQuestion, type SurveySegment } from '@qiaoliang/shared';
import { useMemo, useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import { PageHeader } from '../../../components/PageHeader';
import { isApiError } from '../../../lib/api';
import { useProjectOptions } from '../../../lib/lookups';
import { T } from '../../../lib/texts';
import { useApiErrorHandler } from '../../../lib/use-api-error';
import { useCreateSurvey, useDeleteSurvey, useSegmentPreview, useSendSurvey, useUpdateSurvey } from '../api/surveys';
import { QuestionEditor, questionProblems, withKind, type QuestionErrors } from '../components/QuestionEditor';
import { SegmentPicker } from '../components/SegmentPicker';
import { SendSurveyModal } from '../components/SendSurveyModal';
import { SurveyForm } from '../components/SurveyForm';

const B = T.surveyBuilder;

interface Draft {
  projectId: string | undefined;
  title: string;
  intro: string;
  questions: SurveyQuestion[];
  segment: SurveySegment;
}

const newQuestionId = () => `q${Date.now().toString(36).slice(-4)}${Math.random().toString(36).slice(2, 7)}`;

function draftOf(survey: Survey | undefined, projectId: string | undefined): Draft {
  if (!survey) return { projectId, title: '', intro: '', questions: [], segment: {} };
  return { projectId: survey.projectId, title: survey.title, intro: survey.intro ?? '', questions: survey.questions, segment: survey.segment };
}

/** What the API stores: trimmed texts, options only for choices (as the server normalizes). */
function bodyOf(d: Draft) {
  return {
    title: d.title.trim(),
    intro: d.intro.trim() || null,
    questions: d.questions.map((q) => withKind({ ...q, text: q.text.trim(), options: q.options?.map((o) => o.trim()) }, q.kind)),
    segment: d.segment,
  };
}

/** Field errors of the server (`questions.2.options`) by question index. */
function serverQuestionErrors(err: unknown): Map<number, QuestionErrors> {
  const out = new Map<number, QuestionErrors>();
  if (!isApiError(err)) return out;
  for (const e of err.fieldErrors) {
    const m = /^questions\.(\d+)\.(text|options)/.exec(e.field);
    if (m) out.set(Number(m[1]), { ...out.get(Number(m[1])), [m[2] as 'text' | 'options']: e.message });
  }
  return out;
}

/**
 * The questionnaire builder: basics, questions of the four kinds (add, reorder, remove,
 * options, required), the segment with its live count, preview, save, send and delete.
 * `survey` absent: a new draft (created on the first save).
 */
export function SurveyBuilderPage({ survey }: { survey?: Survey }) {
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const { message } = App.useApp();
  const onError = useApiErrorHandler();
  const [draft, setDraft] = useState<Draft>(() => draftOf(survey, params.get('projectId') ?? undefined));
  const [saved, setSaved] = useState<string>(() => JSON.stringify(bodyOf(draftOf(survey, undefined))));
  const [showErrors, setShowErrors] = useState(false);
  const [serverErrors, setServerErrors] = useState<Map<number, QuestionErrors>>(new Map());
  const [previewOpen, setPreviewOpen] = useState(false);
  const [sendOpen, setSendOpen] = useState(false);
  const projects = useProjectOptions();
  const create = useCreateSurvey();
  const update = useUpdateSurvey();
  const send = useSendSurvey();
  const remove = useDeleteSurvey();
  const count = useSegmentPreview(draft.projectId, draft.segment);

  const problems = useMemo(() => draft.questions.map(questionProblems), [draft.questions]);
  const hasProblems = problems.some((p) => p.text || p.options) || !draft.title.trim() || !draft.projectId;
  const dirty = !survey || JSON.stringify(bodyOf(draft)) !== saved;
  const busy = create.isPending || update.isPending || send.isPending || remove.isPending;

  const setQuestions = (fn: (qs: SurveyQuestion[]) => SurveyQuestion[]) => {
    setServerErrors(new Map());
    setDraft((d) => ({ ...d, questions: fn(d.questions) }));
  };
  const addQuestion = (kind: QuestionKind) => {
    // A new question is not an error yet: checks show again on the next save.
    setShowErrors(false);
    setQuestions((qs) => [...qs, withKind({ id: newQuestionId(), kind, text: '', required: kind !== 'text' }, kind)]);
  };
  const move = (i: number, delta: -1 | 1) => setQuestions((qs) => {
    const next = [...qs];
    const [q] = next.splice(i, 1);
    next.splice(i + delta, 0, q!);
    return next;
  });

  /** Saves (creates on the first save); resolves to the saved survey, or null when refused. */
  const save = async (): Promise<Survey | null> => {
    setShowErrors(true);
    if (hasProblems) {
      void message.error(!draft.projectId ? B.errors.project : !draft.title.trim() ? B.errors.title : B.errors.fix);
      return null;
    }
    const body = bodyOf(draft);
    try {
      const result = survey
        ? await update.mutateAsync({ id: survey.id, version: survey.version, body })
        : await create.mutateAsync({ projectId: draft.projectId!, ...body });
      setSaved(JSON.stringify(bodyOf(draftOf(result, undefined))));
      setServerErrors(new Map());
      return result;
    } catch (err) {
      setServerErrors(serverQuestionErrors(err));
      onError(err);
      return null;
    }
  };

  const onSave = async () => {
    const result = await save();
    if (!result) return;
    void message.success(survey ? B.saved : B.created);
    if (!survey) navigate(`/surveys/${result.id}`, { replace: true });
  };

  const onSendClick = () => {
    setShowErrors(true);
    if (!draft.questions.length) {
      void message.error(B.errors.noQuestions);
      return;
    }
    if (hasProblems) {
      void message.error(B.errors.fix);
      return;
    }
    setSendOpen(true);
  };

  const onSend = async (channel: SurveyChannel) => {
    const current = dirty ? await save() : survey!;
    if (!current) return;
    try {
      const sent = await send.mutateAsync({ id: current.id, version: current.version, channel });
      setSendOpen(false);
      void message.success(T.surveySend.sent(sent.invitationCount));
      navigate(`/surveys/${sent.id}`, { replace: true });
    } catch (err) {
      onError(err);
    }
  };

  const projectName = projects.data?.items.find((p) => p.id === draft.projectId)?.name ?? survey?.projectName ?? '';

  return (
    <>
      <PageHeader
        title={
          <Flex align="center" gap={8}>
            {survey ? B.editTitle : B.createTitle}
            {survey ? <Tag>{SURVEY_STATUS_LABELS[survey.status]}</Tag> : null}
          </Flex>
        }
        extra={
          <>
            <Button icon={<EyeOutlined />} onClick={() => setPreviewOpen(true)}>{B.preview}</Button>
            {survey ? (
              <Popconfirm title={B.deleteConfirm} okText={T.common.confirm} cancelText={T.common.cancel}
                onConfirm={() => remove.mutate({ id: survey.id, version: survey.version }, {
                  onSuccess: () => {
                    void message.success(B.deleted);
                    navigate('/surveys', { replace: true });
                  },
                  onError: (err) => onError(err),
                })}
              >
                <Button danger icon={<DeleteOutlined />} disabled={busy}>{B.delete}</Button>
              </Popconfirm>
            ) : null}
            <Button icon={<SaveOutlined />} onClick={() => void onSave()} loading={create.isPending || update.isPending} disabled={busy || !dirty}>{B.save}</Button>
            <Button type="primary" icon={<SendOutlined />} onClick={onSendClick} disabled={busy}>{B.send}</Button>
          </>
        }
      />
      <Flex vertical gap={16}>
        <Card title={B.basics} size="small">
          <Form layout="vertical" style={{ maxWidth: 720 }}>
            <Form.Item label={B.project} required extra={B.projectHint}
              validateStatus={showErrors && !draft.projectId ? 'error' : undefined} help={showErrors && !draft.projectId ? B.errors.project : undefined}>
              <Select<string>
                aria-label={B.project}
                showSearch={{ optionFilterProp: 'label' }}
                value={draft.projectId}
                disabled={Boolean(survey)}
                onChange={(projectId) => setDraft((d) => ({ ...d, projectId, segment: {} }))}
                options={(projects.data?.items ?? []).map((p) => ({ value: p.id, label: p.name }))}
                loading={projects.isFetching}
                placeholder={B.errors.project}
              />
            </Form.Item>
            <Form.Item label={B.surveyTitle} required
              validateStatus={showErrors && !draft.title.trim() ? 'error' : undefined} help={showErrors && !draft.title.trim() ? B.errors.title : undefined}>
              <Input aria-label={B.surveyTitle} value={draft.title} count={{ show: true, max: 100 }} placeholder={B.titlePlaceholder} onChange={(e) => setDraft((d) => ({ ...d, title: e.target.value }))} />
            </Form.Item>
            <Form.Item label={B.intro} style={{ marginBottom: 0 }}>
              <Input.TextArea aria-label={B.intro} value={draft.intro} rows={3} count={{ show: true, max: 2000 }} placeholder={B.introPlaceholder} onChange={(e) => setDraft((d) => ({ ...d, intro: e.target.value }))} />
            </Form.Item>
          </Form>
        </Card>

        <Card title={`${B.questionsTitle}（${draft.questions.length}）`} size="small">
          {draft.questions.length === 0 ? (
            <Typography.Paragraph type={showErrors ? 'danger' : 'secondary'}>{showErrors ? B.errors.noQuestions : B.noQuestions}</Typography.Paragraph>
          ) : null}
          {draft.questions.map((q, i) => (
            <QuestionEditor
              key={q.id}
              question={q}
              index={i}
              total={draft.questions.length}
              errors={{ ...problems[i], ...serverErrors.get(i) }}
              showErrors={showErrors || serverErrors.has(i)}
              onChange={(next) => setQuestions((qs) => qs.map((x, j) => (j === i ? next : x)))}
              onMove={(delta) => move(i, delta)}
              onRemove={() => setQuestions((qs) => qs.filter((_, j) => j !== i))}
            />
          ))}
          <Flex gap={8} wrap align="center">
            <Typography.Text type="secondary">{B.add}：</Typography.Text>
            {QUESTION_KINDS.map((k) => (
              <Button key={k} icon={<PlusOutlined />} onClick={() => addQuestion(k)} disabled={draft.questions.length >= SURVEY_LIMITS.questions}>
                {QUESTION_KIND_LABELS[k]}
              </Button>
            ))}
          </Flex>
        </Card>

        <Card title={T.surveySegment.title} size="small">
          <SegmentPicker projectId={draft.projectId} segment={draft.segment} onChange={(segment) => setDraft((d) => ({ ...d, segment }))} />
        </Card>
      </Flex>

      <Drawer title={B.previewTitle} open={previewOpen} onClose={() => setPreviewOpen(false)} size={440}>
        <SurveyForm title={draft.title || B.titlePlaceholder} intro={draft.intro.trim() || null} projectName={projectName} questions={bodyOf(draft).questions} />
      </Drawer>
      <SendSurveyModal
        open={sendOpen}
        title={draft.title}
        preview={count.data}
        sending={send.isPending || update.isPending}
        onSend={(channel) => void onSend(channel)}
        onCancel={() => setSendOpen(false)}
      />
    </>
  );
}
