import { Flex, Spin } from 'antd';
import { useParams } from 'react-router';
import { NotFoundPage } from '../../../components/ResultPages';
import { QueryError } from '../../../components/QueryError';
import { isApiError } from '../../../lib/api';
import { T } from '../../../lib/texts';
import { UI } from '../../../lib/texts-ui';
import { useDocumentTitle } from '../../../lib/use-document-title';
import { useSurvey } from '../api/surveys';
import { SurveyBuilderPage } from './SurveyBuilderPage';
import { SurveyResultsPage } from './SurveyResultsPage';

/** /surveys/:id: a draft opens in the builder, a sent or closed survey shows its results. */
export function SurveyDetailPage() {
  const { id } = useParams();
  const { data, error, refetch, isPending } = useSurvey(id);
  useDocumentTitle(data ? UI.titles.survey(data.title) : null);
  if (isPending) return <Flex justify="center" style={{ padding: 48 }}><Spin /></Flex>;
  if (isApiError(error, 404)) return <NotFoundPage subTitle={T.surveys.notFound} />;
  if (error || !data) return <QueryError error={error} onRetry={() => void refetch()} />;
  // Keyed by status: sending swaps the builder for the results.
  return data.status === 'draft' ? <SurveyBuilderPage key={`${data.id}:draft`} survey={data} /> : <SurveyResultsPage key={`${data.id}:results`} survey={data} />;
}

/** /surveys/new: the builder of a new draft. */
export function NewSurveyPage() {
  return <SurveyBuilderPage />;
}
