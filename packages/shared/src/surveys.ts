/** Kinds of question a survey can ask (D2). */
export const QUESTION_KINDS = ['single', 'multiple', 'scale', 'text'] as const;
export type QuestionKind = (typeof QUESTION_KINDS)[number];

/** A draft is edited; sending it invites its segment; closing it stops new responses. */
export const SURVEY_STATUSES = ['draft', 'sent', 'closed'] as const;
export type SurveyStatus = (typeof SURVEY_STATUSES)[number];

/** How an invitation reaches the customer: an SMS with the link, or the link in the owner portal. */
export const SURVEY_CHANNELS = ['sms', 'portal'] as const;
export type SurveyChannel = (typeof SURVEY_CHANNELS)[number];

/** What a respondent's link can show. */
export const PUBLIC_SURVEY_STATES = ['open', 'responded', 'closed'] as const;
export type PublicSurveyState = (typeof PUBLIC_SURVEY_STATES)[number];

/** Bounds of a questionnaire, shared by the builder and the server. */
export const SURVEY_LIMITS = {
  questions: 50,
  options: 20,
  optionLength: 100,
  questionLength: 300,
  textAnswerLength: 2000,
  scaleMin: 2,
  scaleMax: 10,
  defaultScaleMax: 5,
} as const;

/** The path of a respondent's link; the admin app serves it without a login. */
export const surveyLinkPath = (token: string): string => `/s/${token}`;
