import Type from 'typebox';
import { CUSTOMER_KINDS } from '../customers.js';
import { PUBLIC_SURVEY_STATES, QUESTION_KINDS, SURVEY_CHANNELS, SURVEY_LIMITS, SURVEY_STATUSES } from '../surveys.js';
import { DateOnly, Id, Instant, PageQuery } from './common.js';

const Nullable = <T extends Type.TSchema>(t: T) => Type.Union([t, Type.Null()]);
export const QuestionKindSchema = Type.Enum(QUESTION_KINDS);
export const SurveyStatusSchema = Type.Enum(SURVEY_STATUSES);
export const SurveyChannelSchema = Type.Enum(SURVEY_CHANNELS);

/**
 * One question. `options` for single and multiple choice (the answer is the option's text);
 * `scaleMax` for a scale from 1 to scaleMax (default 5), with optional end labels.
 */
export const SurveyQuestion = Type.Object(
  {
    /** Made by the builder; stable while the draft is edited, the key of the answers. */
    id: Type.String({ minLength: 1, maxLength: 40, pattern: '^[A-Za-z0-9_-]+$' }),
    kind: QuestionKindSchema,
    text: Type.String({ minLength: 1, maxLength: SURVEY_LIMITS.questionLength }),
    options: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: SURVEY_LIMITS.optionLength }), { maxItems: SURVEY_LIMITS.options })),
    required: Type.Boolean(),
    scaleMax: Type.Optional(Type.Integer({ minimum: SURVEY_LIMITS.scaleMin, maximum: SURVEY_LIMITS.scaleMax })),
    scaleMinLabel: Type.Optional(Type.String({ maxLength: 20 })),
    scaleMaxLabel: Type.Optional(Type.String({ maxLength: 20 })),
  },
  { additionalProperties: false },
);
export type SurveyQuestion = Type.Static<typeof SurveyQuestion>;

/**
 * Who is invited: current owners, co-owners and prospective owners of the survey's project,
 * narrowed by building, customer kind and actual handover date (inclusive). Empty: everyone.
 */
export const SurveySegment = Type.Object(
  {
    buildingIds: Type.Optional(Type.Array(Id, { uniqueItems: true, maxItems: 200 })),
    customerKinds: Type.Optional(Type.Array(Type.Enum(CUSTOMER_KINDS), { uniqueItems: true })),
    handoverFrom: Type.Optional(DateOnly),
    handoverTo: Type.Optional(DateOnly),
  },
  { additionalProperties: false },
);
export type SurveySegment = Type.Static<typeof SurveySegment>;

const Title = Type.String({ minLength: 1, maxLength: 100 });
const Intro = Nullable(Type.String({ maxLength: 2000 }));
const Questions = Type.Array(SurveyQuestion, { maxItems: SURVEY_LIMITS.questions });

export const SurveyCreate = Type.Object(
  { projectId: Id, title: Title, intro: Type.Optional(Intro), questions: Questions, segment: Type.Optional(SurveySegment) },
  { additionalProperties: false },
);
export type SurveyCreate = Type.Static<typeof SurveyCreate>;

/** Edits a draft (If-Match); a sent survey is not edited. */
export const SurveyUpdate = Type.Object(
  { title: Type.Optional(Title), intro: Type.Optional(Intro), questions: Type.Optional(Questions), segment: Type.Optional(SurveySegment) },
  { additionalProperties: false },
);
export type SurveyUpdate = Type.Static<typeof SurveyUpdate>;

export const Survey = Type.Object({
  id: Id,
  projectId: Id,
  projectName: Type.String(),
  title: Type.String(),
  intro: Nullable(Type.String()),
  questions: Type.Array(SurveyQuestion),
  segment: SurveySegment,
  status: SurveyStatusSchema,
  /** How it was sent (null while a draft). */
  channel: Nullable(SurveyChannelSchema),
  sentAt: Nullable(Instant),
  closedAt: Nullable(Instant),
  invitationCount: Type.Integer(),
  responseCount: Type.Integer(),
  createdBy: Id,
  createdByName: Nullable(Type.String()),
  version: Type.Integer(),
  createdAt: Instant,
  updatedAt: Instant,
});
export type Survey = Type.Static<typeof Survey>;

export const SurveySummary = Type.Object({
  id: Id,
  projectId: Id,
  projectName: Type.String(),
  title: Type.String(),
  status: SurveyStatusSchema,
  questionCount: Type.Integer(),
  invitationCount: Type.Integer(),
  responseCount: Type.Integer(),
  sentAt: Nullable(Instant),
  closedAt: Nullable(Instant),
  createdByName: Nullable(Type.String()),
  version: Type.Integer(),
  createdAt: Instant,
  updatedAt: Instant,
});
export type SurveySummary = Type.Static<typeof SurveySummary>;

export const SurveyListQuery = Type.Intersect([
  PageQuery,
  Type.Object({ projectId: Type.Optional(Id), status: Type.Optional(SurveyStatusSchema) }),
]);
export type SurveyListQuery = Type.Static<typeof SurveyListQuery>;

export const SegmentPreviewBody = Type.Object({ projectId: Id, segment: SurveySegment }, { additionalProperties: false });
export type SegmentPreviewBody = Type.Static<typeof SegmentPreviewBody>;

export const SegmentPreview = Type.Object({
  /** Customers the survey would invite. */
  customers: Type.Integer(),
  /** Of those, how many have a mobile number for the SMS (the others get the portal link only). */
  withMobile: Type.Integer(),
});
export type SegmentPreview = Type.Static<typeof SegmentPreview>;

export const SurveySend = Type.Object({ channel: SurveyChannelSchema }, { additionalProperties: false });
export type SurveySend = Type.Static<typeof SurveySend>;

/** Answers by question id: an option (single), options (multiple), 1…scaleMax (scale), text. */
export const SurveyAnswers = Type.Record(
  Type.String({ maxLength: 40 }),
  Type.Union([
    Type.String({ maxLength: SURVEY_LIMITS.textAnswerLength }),
    Type.Array(Type.String({ maxLength: SURVEY_LIMITS.optionLength }), { maxItems: SURVEY_LIMITS.options }),
    Type.Integer(),
  ]),
  { maxProperties: SURVEY_LIMITS.questions },
);
export type SurveyAnswers = Type.Static<typeof SurveyAnswers>;

export const QuestionResult = Type.Object({
  id: Type.String(),
  kind: QuestionKindSchema,
  text: Type.String(),
  /** Responses that answered this question. */
  answered: Type.Integer(),
  /** Choice questions: every option in the builder's order, with its count. */
  options: Type.Optional(Type.Array(Type.Object({ option: Type.String(), count: Type.Integer() }))),
  /** Scale questions: the mean (2 decimals; null without answers) and the count of each value 1…scaleMax. */
  average: Type.Optional(Nullable(Type.Number())),
  scaleMax: Type.Optional(Type.Integer()),
  distribution: Type.Optional(Type.Array(Type.Object({ value: Type.Integer(), count: Type.Integer() }))),
  /** Text questions: the answers, newest first (no names). */
  texts: Type.Optional(Type.Array(Type.Object({ text: Type.String(), submittedAt: Instant }))),
});
export type QuestionResult = Type.Static<typeof QuestionResult>;

export const SurveyResults = Type.Object({
  surveyId: Id,
  title: Type.String(),
  status: SurveyStatusSchema,
  invitations: Type.Integer(),
  responses: Type.Integer(),
  /** responses / invitations, 4 decimals (0 before sending). */
  responseRate: Type.Number(),
  questions: Type.Array(QuestionResult),
});
export type SurveyResults = Type.Static<typeof SurveyResults>;

export const SurveyResponseItem = Type.Object({
  id: Id,
  customerId: Id,
  customerName: Type.String(),
  submittedAt: Instant,
  answers: SurveyAnswers,
});
export type SurveyResponseItem = Type.Static<typeof SurveyResponseItem>;

/** What a respondent's link shows: the questionnaire, no personal data. */
export const PublicSurvey = Type.Object({
  title: Type.String(),
  intro: Nullable(Type.String()),
  projectName: Type.String(),
  questions: Type.Array(SurveyQuestion),
  /** open: can answer; responded: this link already answered; closed: the survey ended. */
  state: Type.Enum(PUBLIC_SURVEY_STATES),
});
export type PublicSurvey = Type.Static<typeof PublicSurvey>;

export const SurveyTokenParams = Type.Object({ token: Type.String({ minLength: 1, maxLength: 100 }) }, { additionalProperties: false });
export type SurveyTokenParams = Type.Static<typeof SurveyTokenParams>;

export const PublicResponseBody = Type.Object({ answers: SurveyAnswers }, { additionalProperties: false });
export type PublicResponseBody = Type.Static<typeof PublicResponseBody>;

export const PublicResponseResult = Type.Object({ submittedAt: Instant });
export type PublicResponseResult = Type.Static<typeof PublicResponseResult>;
