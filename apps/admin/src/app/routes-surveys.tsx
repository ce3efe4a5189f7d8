import { Flex, Spin } from 'antd';
import type { StaffRole } from '@qiaoliang/shared';
import { lazy, Suspense, type ComponentType, type ReactNode } from 'react';
import { Route } from 'react-router';
import { RequireRole } from './guards';

function page<K extends string>(load: () => Promise<Record<K, ComponentType>>, name: K) {
  return lazy(async () => ({ default: (await load())[name] }));
}

const SurveysPage = page(() => import('../features/surveys/pages/SurveysPage'), 'SurveysPage');
const NewSurveyPage = page(() => import('../features/surveys/pages/SurveyDetailPage'), 'NewSurveyPage');
const SurveyDetailPage = page(() => import('../features/surveys/pages/SurveyDetailPage'), 'SurveyDetailPage');
const PublicSurveyPage = page(() => import('../features/surveys/pages/PublicSurveyPage'), 'PublicSurveyPage');

/** Who runs surveys (the API's SURVEY_STAFF). */
export const SURVEY_STAFF: StaffRole[] = ['supervisor', 'manager', 'admin'];

const fallback = <Flex justify="center" style={{ padding: 48 }}><Spin /></Flex>;

function Staff({ children }: { children: ReactNode }) {
  return (
    <RequireRole roles={SURVEY_STAFF}>
      <Suspense fallback={fallback}>{children}</Suspense>
    </RequireRole>
  );
}

/** The surveys' routes (a fragment inside the signed-in layout's <Routes>). */
export function surveyRoutes() {
  return (
    <>
      <Route path="surveys" element={<Staff><SurveysPage /></Staff>} />
      <Route path="surveys/new" element={<Staff><NewSurveyPage /></Staff>} />
      <Route path="surveys/:id" element={<Staff><SurveyDetailPage /></Staff>} />
    </>
  );
}

/** The respondents' form /s/:token: outside the signed-in layout, no login. */
export function publicSurveyRoute() {
  return <Route path="/s/:token" element={<Suspense fallback={fallback}><PublicSurveyPage /></Suspense>} />;
}
