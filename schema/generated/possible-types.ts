
      export type PossibleTypesResultData = {
  "possibleTypes": {
    "BatchDeleteCSRsResult": [
      "AuthFailureError",
      "BatchDeleteCSRsSuccess",
      "FailedOperationError",
      "InvalidCSRIdError",
      "InvalidParameterError",
      "RateLimitExceededError",
      "UpstreamUnavailableError"
    ],
    "PlanCSRDeletionResult": [
      "AuthFailureError",
      "CSRDeletionPlan",
      "FailedOperationError",
      "InvalidParameterError",
      "RateLimitExceededError",
      "UpstreamUnavailableError"
    ],
    "StartCSRDeletionResult": [
      "CSRDeletionJob",
      "ExpiredPlanError",
      "IdempotencyKeyMismatchError",
      "InvalidCSRIdError",
      "InvalidParameterError",
      "UnknownPlanError"
    ],
    "TencentCloudError": [
      "AuthFailureError",
      "FailedOperationError",
      "InvalidCSRIdError",
      "InvalidParameterError",
      "RateLimitExceededError",
      "UpstreamUnavailableError"
    ]
  }
};
      const result: PossibleTypesResultData = {
  "possibleTypes": {
    "BatchDeleteCSRsResult": [
      "AuthFailureError",
      "BatchDeleteCSRsSuccess",
      "FailedOperationError",
      "InvalidCSRIdError",
      "InvalidParameterError",
      "RateLimitExceededError",
      "UpstreamUnavailableError"
    ],
    "PlanCSRDeletionResult": [
      "AuthFailureError",
      "CSRDeletionPlan",
      "FailedOperationError",
      "InvalidParameterError",
      "RateLimitExceededError",
      "UpstreamUnavailableError"
    ],
    "StartCSRDeletionResult": [
      "CSRDeletionJob",
      "ExpiredPlanError",
      "IdempotencyKeyMismatchError",
      "InvalidCSRIdError",
      "InvalidParameterError",
      "UnknownPlanError"
    ],
    "TencentCloudError": [
      "AuthFailureError",
      "FailedOperationError",
      "InvalidCSRIdError",
      "InvalidParameterError",
      "RateLimitExceededError",
      "UpstreamUnavailableError"
    ]
  }
};
      export default result;
    