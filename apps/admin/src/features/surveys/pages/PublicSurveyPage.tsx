import { App, Flex, Result, Spin, Typography } from 'antd';
import type { FieldError } from '@qiaoliang/shared';
import { useEffect, useState, type ReactNode } from 'react';
import { useParams } from 'react-router';
import { isApiError } from '../../../lib/api';
import { T } from '../../../lib/texts';
import { usePublicSurvey, useSubmitResponse } from '../api/surveys';
import { SurveyForm } from '../components/SurveyForm';

type Outcome = 'thanks' | 'responded' | 'closed' | 'invalid';

const RESULTS: Record<Outcome, { status: 'success' | 'info' | 'warning' | '404'; title: string; sub: string }> = {
  thanks: { status: 'success', title: T.surveyPublic.thanksTitle, sub: T.surveyPublic.thanks },
  responded: { status: 'info', title: T.surveyPublic.respondedTitle, sub: T.surveyPublic.responded },
  closed: { status: 'warning', title: T.surveyPublic.closedTitle, sub: T.surveyPublic.closed },
  invalid: { status: '404', title: T.surveyPublic.invalidTitle, sub: T.surveyPublic.invalid },
};

/** A phone-width column on a light background, for the respondents' pages. */
function Frame({ children }: { children: ReactNode }) {
  return (
    <div style={{ minHeight: '100vh', background: '#f5f5f5', padding: '16px 12px 32px' }}>
      <main style={{ maxWidth: 640, margin: '0 auto', background: '#fff', borderRadius: 12, padding: '20px 18px', boxShadow: '0 1px 4px rgba(0,0,0,0.06)' }}>
        {children}
      </main>
      <Typography.Paragraph type="secondary" style={{ textAlign: 'center', marginTop: 16, fontSize: 12 }}>{T.surveyPublic.footer}</Typography.Paragraph>
    </div>
  );
}

/**
 * /s/:token: the respondent's form, outside the signed-in layout (no login). The link's token
 * is the only credential; the page shows no personal data.
 */
export function PublicSurveyPage() {
  const { token = '' } = useParams();
  const survey = usePublicSurvey(token);
  const submit = useSubmitResponse(token);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [errors, setErrors] = useState<FieldError[]>([]);
  const { message } = App.useApp();

  useEffect(() => {
    if (survey.data) document.title = survey.data.title;
  }, [survey.data]);

  let shown: Outcome | null = outcome;
  if (!shown && survey.data?.state === 'responded') shown = 'responded';
  if (!shown && survey.data?.state === 'closed') shown = 'closed';
  if (!shown && survey.error) shown = isApiError(survey.error, 404) ? 'invalid' : null;

  if (survey.isPending) {
    return (
      <Frame>
        <Flex justify="center" style={{ padding: 48 }}><Spin description={T.surveyPublic.loading} /></Flex>
      </Frame>
    );
  }
  if (shown) {
    const r = RESULTS[shown];
    return (
      <Frame>
        {survey.data ? <Typography.Text type="secondary">{survey.data.title}</Typography.Text> : null}
        <Result status={r.status} title={r.title} subTitle={r.sub} />
      </Frame>
    );
  }
  if (!survey.data) {
    return (
      <Frame>
        <Result status="error" title={T.errors.loadFailed} subTitle={isApiError(survey.error) ? survey.error.text : T.errors.network} />
      </Frame>
    );
  }
  return (
    <Frame>
      <SurveyForm
        title={survey.data.title}
        intro={survey.data.intro}
        projectName={survey.data.projectName}
        questions={survey.data.questions}
        submitting={submit.isPending}
        serverErrors={errors}
        onSubmit={(answers) => {
          setErrors([]);
          submit.mutate(answers, {
            onSuccess: () => setOutcome('thanks'),
            onError: (err) => {
              if (isApiError(err, 409)) setOutcome('responded');
              else if (isApiError(err, 410)) setOutcome('closed');
              else if (isApiError(err, 404)) setOutcome('invalid');
              else if (isApiError(err) && err.fieldErrors.length) setErrors(err.fieldErrors);
              else void message.error(isApiError(err) ? err.text : T.errors.unknown);
            },
          });
        }}
      />
    </Frame>
  );
}
