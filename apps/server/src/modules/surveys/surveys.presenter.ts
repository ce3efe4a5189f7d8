import type { Survey, SurveyQuestion, SurveySegment, SurveySummary } from '@qiaoliang/shared';
import { iso, isoOrNull } from '../../http/pagination.js';
import type { SurveyRow } from './surveys.repo.js';

export const questionsOf = (row: { questions: string }): SurveyQuestion[] => JSON.parse(row.questions) as SurveyQuestion[];
export const segmentOf = (row: { segment: string }): SurveySegment => JSON.parse(row.segment) as SurveySegment;

export function presentSurvey(r: SurveyRow): Survey {
  return {
    id: r.id,
    projectId: r.project_id,
    projectName: r.project_name,
    title: r.title,
    intro: r.intro,
    questions: questionsOf(r),
    segment: segmentOf(r),
    status: r.status,
    channel: r.channel,
    sentAt: isoOrNull(r.sent_at),
    closedAt: isoOrNull(r.closed_at),
    invitationCount: Number(r.invitation_count),
    responseCount: Number(r.response_count),
    createdBy: r.created_by,
    createdByName: r.created_by_name,
    version: r.version,
    createdAt: iso(r.created_at),
    updatedAt: iso(r.updated_at),
  };
}

export function presentSurveySummary(r: SurveyRow): SurveySummary {
  return {
    id: r.id,
    projectId: r.project_id,
    projectName: r.project_name,
    title: r.title,
    status: r.status,
    questionCount: questionsOf(r).length,
    invitationCount: Number(r.invitation_count),
    responseCount: Number(r.response_count),
    sentAt: isoOrNull(r.sent_at),
    closedAt: isoOrNull(r.closed_at),
    createdByName: r.created_by_name,
    version: r.version,
    createdAt: iso(r.created_at),
    updatedAt: iso(r.updated_at),
  };
}
