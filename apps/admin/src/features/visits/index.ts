/** What other features may use from visits (lint: nothing else of this folder). */
export { RecordVisitButton } from './components/RecordVisitButton';
