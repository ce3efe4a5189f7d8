import { Button, Checkbox, Flex, Form, Input, Radio, Typography } from 'antd';
import type { FieldError, SurveyAnswers, SurveyQuestion } from '@qiaoliang/shared';
import { useEffect } from 'react';
import { T } from '../../../lib/texts';

export interface SurveyFormProps {
  title: string;
  intro: string | null;
  projectName: string;
  questions: SurveyQuestion[];
  /** Absent in the builder's preview: the form then only shows. */
  onSubmit?: (answers: SurveyAnswers) => void;
  submitting?: boolean;
  /** The server's errors (`answers.<questionId>`), shown beside the questions. */
  serverErrors?: FieldError[];
}

const scaleMaxOf = (q: SurveyQuestion) => q.scaleMax ?? 5;

/** The answers the API takes: blank texts and empty choices left out. */
function toAnswers(questions: SurveyQuestion[], values: Record<string, unknown>): SurveyAnswers {
  const out: SurveyAnswers = {};
  for (const q of questions) {
    const v = values[q.id];
    if (v === undefined || v === null) continue;
    if (typeof v === 'string' && !v.trim()) continue;
    if (Array.isArray(v) && !v.length) continue;
    out[q.id] = v as SurveyAnswers[string];
  }
  return out;
}

/** The input of a question, as the direct child of its Form.Item (which passes value and onChange). */
function questionInput(q: SurveyQuestion, disabled: boolean) {
  switch (q.kind) {
    case 'single':
      return (
        <Radio.Group disabled={disabled} style={{ width: '100%' }}>
          <Flex vertical gap={10}>
            {(q.options ?? []).map((o) => <Radio key={o} value={o} style={{ fontSize: 16 }}>{o}</Radio>)}
          </Flex>
        </Radio.Group>
      );
    case 'multiple':
      return (
        <Checkbox.Group disabled={disabled} style={{ width: '100%' }}>
          <Flex vertical gap={10}>
            {(q.options ?? []).map((o) => <Checkbox key={o} value={o} style={{ fontSize: 16 }}>{o}</Checkbox>)}
          </Flex>
        </Checkbox.Group>
      );
    case 'scale':
      return <ScaleInput max={scaleMaxOf(q)} minLabel={q.scaleMinLabel} maxLabel={q.scaleMaxLabel} disabled={disabled} />;
    case 'text':
      return <Input.TextArea disabled={disabled} rows={3} count={{ show: true, max: 2000 }} placeholder={T.surveyPublic.textPlaceholder} style={{ fontSize: 16 }} />;
  }
}

/** 1…max as large buttons that wrap on a phone, with the end labels under them. */
function ScaleInput({ max, minLabel, maxLabel, disabled, value, onChange }: {
  max: number; minLabel?: string | undefined; maxLabel?: string | undefined; disabled: boolean; value?: number; onChange?: (v: number) => void;
}) {
  return (
    <Flex vertical gap={6}>
      <Radio.Group
        value={value}
        onChange={(e) => onChange?.(e.target.value as number)}
        disabled={disabled}
        optionType="button"
        buttonStyle="solid"
        size="large"
        style={{ display: 'flex', flexWrap: 'wrap', gap: 8 }}
        options={Array.from({ length: max }, (_, i) => ({ label: String(i + 1), value: i + 1, style: { minWidth: 48, textAlign: 'center', borderRadius: 6, borderInlineStartWidth: 1 } }))}
      />
      <Flex justify="space-between" style={{ maxWidth: max * 56 }}>
        <Typography.Text type="secondary">{minLabel ? `1 = ${minLabel}` : ''}</Typography.Text>
        <Typography.Text type="secondary">{maxLabel ? `${max} = ${maxLabel}` : ''}</Typography.Text>
      </Flex>
    </Flex>
  );
}

/** The questionnaire as a respondent fills it in (also the builder's preview). */
export function SurveyForm({ title, intro, projectName, questions, onSubmit, submitting = false, serverErrors }: SurveyFormProps) {
  const [form] = Form.useForm<Record<string, unknown>>();
  const preview = !onSubmit;

  useEffect(() => {
    if (!serverErrors?.length) return;
    form.setFields(serverErrors.map((e) => ({ name: e.field.replace(/^answers\./, ''), errors: [e.message] })));
  }, [form, serverErrors]);

  return (
    <Flex vertical gap={16}>
      <div>
        <Typography.Text type="secondary">{projectName}</Typography.Text>
        <Typography.Title level={3} style={{ margin: '4px 0 8px' }}>{title}</Typography.Title>
        {intro ? <Typography.Paragraph style={{ fontSize: 15, whiteSpace: 'pre-wrap' }}>{intro}</Typography.Paragraph> : null}
      </div>
      <Form
        form={form}
        layout="vertical"
        requiredMark
        scrollToFirstError
        disabled={submitting}
        onFinish={(values) => onSubmit?.(toAnswers(questions, values))}
      >
        {questions.map((q, i) => (
          <Form.Item
            key={q.id}
            name={q.id}
            label={
              <span style={{ fontSize: 16, fontWeight: 500 }}>
                {`${i + 1}. ${q.text}`}
                {q.kind === 'multiple' && !q.text.includes(T.surveyPublic.multipleHint) ? <Typography.Text type="secondary" style={{ fontWeight: 400 }}>{`（${T.surveyPublic.multipleHint}）`}</Typography.Text> : null}
              </span>
            }
            rules={q.required ? [{ required: true, message: T.surveyPublic.required, ...(q.kind === 'multiple' ? { type: 'array' as const, min: 1 } : {}), ...(q.kind === 'text' ? { whitespace: true } : {}) }] : []}
            style={{ padding: q.kind === 'text' ? '12px 0 24px' : '12px 0', borderBottom: '1px solid #f0f0f0', marginBottom: 8 }}
          >
            {questionInput(q, submitting)}
          </Form.Item>
        ))}
        {preview ? (
          <Typography.Text type="secondary">{T.surveyPublic.previewNote}</Typography.Text>
        ) : (
          <Button type="primary" htmlType="submit" size="large" block loading={submitting} style={{ marginTop: 8 }}>
            {submitting ? T.surveyPublic.submitting : T.surveyPublic.submit}
          </Button>
        )}
      </Form>
    </Flex>
  );
}
