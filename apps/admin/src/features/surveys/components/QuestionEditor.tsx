import { ArrowDownOutlined, ArrowUpOutlined, DeleteOutlined, MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { Button, Card, Flex, Input, Select, Switch, Tag, Tooltip, Typography } from 'antd';
import { QUESTION_KIND_LABELS, QUESTION_KINDS, SURVEY_LIMITS, type QuestionKind, type SurveyQuestion } from '@qiaoliang/shared';
import { T } from '../../../lib/texts';

export interface QuestionErrors {
  text?: string;
  options?: string;
}

const B = T.surveyBuilder;
const isChoice = (kind: QuestionKind) => kind === 'single' || kind === 'multiple';

/** A question of another kind, keeping what still applies (text, required, options). */
export function withKind(q: SurveyQuestion, kind: QuestionKind): SurveyQuestion {
  const next: SurveyQuestion = { id: q.id, kind, text: q.text, required: q.required };
  if (isChoice(kind)) next.options = q.options?.length ? q.options : ['', ''];
  if (kind === 'scale') next.scaleMax = q.scaleMax ?? SURVEY_LIMITS.defaultScaleMax;
  if (kind === 'scale' && q.scaleMinLabel) next.scaleMinLabel = q.scaleMinLabel;
  if (kind === 'scale' && q.scaleMaxLabel) next.scaleMaxLabel = q.scaleMaxLabel;
  return next;
}

/** The builder's checks, the same as the server's, so mistakes show before saving. */
export function questionProblems(q: SurveyQuestion): QuestionErrors {
  const errors: QuestionErrors = {};
  if (!q.text.trim()) errors.text = B.errors.text;
  if (isChoice(q.kind)) {
    const options = (q.options ?? []).map((o) => o.trim());
    if (options.length < 2) errors.options = B.errors.options;
    else if (options.some((o) => !o)) errors.options = B.errors.blankOption;
    else if (new Set(options).size !== options.length) errors.options = B.errors.duplicateOption;
  }
  return errors;
}

const SCALE_OPTIONS = Array.from({ length: SURVEY_LIMITS.scaleMax - SURVEY_LIMITS.scaleMin + 1 }, (_, i) => {
  const max = SURVEY_LIMITS.scaleMin + i;
  return { value: max, label: B.scaleRange(max) };
});

/** One question of the builder: kind, text, required flag, options or scale, order and removal. */
export function QuestionEditor({ question: q, index, total, errors, showErrors, onChange, onMove, onRemove }: {
  question: SurveyQuestion;
  index: number;
  total: number;
  errors: QuestionErrors;
  showErrors: boolean;
  onChange: (q: SurveyQuestion) => void;
  onMove: (delta: -1 | 1) => void;
  onRemove: () => void;
}) {
  const label = B.questionNo(index + 1);
  const options = q.options ?? [];
  const setOption = (i: number, value: string) => onChange({ ...q, options: options.map((o, j) => (j === i ? value : o)) });
  return (
    <Card
      size="small"
      role="group"
      aria-label={label}
      title={
        <Flex align="center" gap={8}>
          <Tag color="blue" style={{ marginInlineEnd: 0 }}>{`Q${index + 1}`}</Tag>
          <Select<QuestionKind>
            aria-label={B.kind}
            value={q.kind}
            onChange={(kind) => onChange(withKind(q, kind))}
            options={QUESTION_KINDS.map((k) => ({ value: k, label: QUESTION_KIND_LABELS[k] }))}
            style={{ width: 110 }}
            size="small"
          />
          <Flex align="center" gap={6} style={{ fontWeight: 400 }}>
            <Switch size="small" checked={q.required} onChange={(required) => onChange({ ...q, required })} aria-label={B.required} />
            <span>{B.required}</span>
          </Flex>
        </Flex>
      }
      extra={
        <Flex gap={2}>
          <Tooltip title={B.moveUp}><Button type="text" size="small" icon={<ArrowUpOutlined />} disabled={index === 0} onClick={() => onMove(-1)} aria-label={`${label} ${B.moveUp}`} /></Tooltip>
          <Tooltip title={B.moveDown}><Button type="text" size="small" icon={<ArrowDownOutlined />} disabled={index === total - 1} onClick={() => onMove(1)} aria-label={`${label} ${B.moveDown}`} /></Tooltip>
          <Tooltip title={B.remove}><Button type="text" size="small" danger icon={<DeleteOutlined />} onClick={onRemove} aria-label={`${label} ${B.remove}`} /></Tooltip>
        </Flex>
      }
      style={{ marginBottom: 12 }}
    >
      <Flex vertical gap={10}>
        <div>
          <Input
            aria-label={B.text}
            placeholder={B.textPlaceholder}
            value={q.text}
            count={{ show: true, max: SURVEY_LIMITS.questionLength }}
            status={showErrors && errors.text ? 'error' : undefined}
            onChange={(e) => onChange({ ...q, text: e.target.value })}
          />
          {showErrors && errors.text ? <Typography.Text type="danger">{errors.text}</Typography.Text> : null}
        </div>
        {isChoice(q.kind) ? (
          <Flex vertical gap={6}>
            <Typography.Text type="secondary">{B.options}</Typography.Text>
            {options.map((o, i) => (
              <Flex key={i} gap={6} align="center">
                <Input
                  aria-label={B.option(i + 1)}
                  placeholder={B.option(i + 1)}
                  value={o}
                  count={{ show: true, max: SURVEY_LIMITS.optionLength }}
                  onChange={(e) => setOption(i, e.target.value)}
                  style={{ maxWidth: 420 }}
                />
                <Button
                  type="text"
                  icon={<MinusCircleOutlined />}
                  aria-label={`${B.removeOption} ${i + 1}`}
                  disabled={options.length <= 2}
                  onClick={() => onChange({ ...q, options: options.filter((_, j) => j !== i) })}
                />
              </Flex>
            ))}
            <div>
              <Button
                type="dashed"
                size="small"
                icon={<PlusOutlined />}
                disabled={options.length >= SURVEY_LIMITS.options}
                onClick={() => onChange({ ...q, options: [...options, ''] })}
              >
                {B.addOption}
              </Button>
            </div>
            {showErrors && errors.options ? <Typography.Text type="danger">{errors.options}</Typography.Text> : null}
          </Flex>
        ) : null}
        {q.kind === 'scale' ? (
          <Flex gap={12} wrap align="center">
            <Flex align="center" gap={6}>
              <Typography.Text type="secondary">{B.scaleMax}</Typography.Text>
              <Select<number>
                aria-label={B.scaleMax}
                value={q.scaleMax ?? SURVEY_LIMITS.defaultScaleMax}
                onChange={(scaleMax) => onChange({ ...q, scaleMax })}
                options={SCALE_OPTIONS}
                style={{ width: 110 }}
              />
            </Flex>
            <Input
              aria-label={B.scaleMinLabel}
              prefix="1 ="
              placeholder={B.scaleMinPlaceholder}
              value={q.scaleMinLabel ?? ''}
              count={{ show: true, max: 20 }}
              onChange={(e) => onChange({ ...q, scaleMinLabel: e.target.value })}
              style={{ width: 220 }}
            />
            <Input
              aria-label={B.scaleMaxLabel}
              prefix={`${q.scaleMax ?? SURVEY_LIMITS.defaultScaleMax} =`}
              placeholder={B.scaleMaxPlaceholder}
              value={q.scaleMaxLabel ?? ''}
              count={{ show: true, max: 20 }}
              onChange={(e) => onChange({ ...q, scaleMaxLabel: e.target.value })}
              style={{ width: 220 }}
            />
          </Flex>
        ) : null}
      </Flex>
    </Card>
  );
}
