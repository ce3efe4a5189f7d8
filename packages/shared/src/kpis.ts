/*
 * KPI constants that domain modules also need (the callback's satisfied/dissatisfied split, the
 * visit plan's annual target). They live here, below every module, so that no domain module
 * imports the KPI module (which reads from all of them).
 */

/** Satisfied or very satisfied on the 5-point scale (5 very satisfied … 1 very dissatisfied). */
export const isSatisfied = (satisfaction: number): boolean => satisfaction >= 4;

/** The annual visit target (K3): 120% of customers. */
export const K3_ANNUAL_TARGET = 1.2;
