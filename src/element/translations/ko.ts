/** Korean strings for `<queue-gate>`. */
import type { Translation } from '../localize.js';

const REJECTIONS: Record<string, string> = {
  token_expired: '대기 순번의 유효 시간이 지났습니다.',
  hold_expired: '순서가 지나 입장할 수 있는 시간이 끝났습니다.',
  place_released:
    '다른 곳에서 로그인해 받은 순번이 있어 이 순번은 해제되었습니다. 다시 줄 서면 그 순번으로 이어집니다.',
};

/** The built-in Korean translation. */
export const ko: Translation = {
  $code: 'ko',
  $dir: 'ltr',
  regionLabel: '대기실',
  joining: '대기 순번을 받는 중…',
  waitingTitle: '대기 중입니다',
  placeLabel: '내 번호',
  aheadLabel: '내 앞 대기 인원',
  ahead: (count, n) => (count === 0 ? '없음' : `${n}명`),
  etaLabel: '예상 대기 시간',
  etaUnknown: '아직 예상 시간을 알 수 없습니다',
  etaSoon: '1분 이내',
  etaMinutes: (min, max) => (min === max ? `약 ${max}분` : `약 ${min}~${max}분`),
  etaHours: (min, max) => (min === max ? `약 ${max}시간` : `약 ${min}~${max}시간`),
  etaOverDay: (days, n) => (days === 1 ? '하루 이상' : `하루 이상: 약 ${n}일`),
  progressLabel: '대기열 진행률',
  updatedAgo: (seconds, n) => (seconds < 2 ? '방금 갱신됨' : `${n}초 전 갱신됨`),
  updatedNever: '아직 갱신되지 않음',
  reloadSafe: '페이지를 새로고침해도 순번은 유지됩니다.',
  reconnectingTitle: '연결이 끊겼습니다',
  reconnecting: (until) =>
    until
      ? `지금은 대기실에 연결할 수 없습니다. 순번은 ${until}까지 유지됩니다.`
      : '지금은 대기실에 연결할 수 없습니다. 순번은 유지됩니다.',
  busyTitle: '대기실에 접속이 몰리고 있습니다',
  roomMissingTitle: '이 대기실은 열려 있지 않습니다',
  roomMissing:
    '대기열 서버에 이 대기실이 없습니다. 잠시 후 다시 시도하거나 사이트에 문의해 주세요.',
  originRefusedTitle: '이 페이지는 이 대기실에 설정되어 있지 않습니다',
  originRefused: '잠시 후 다시 시도하거나 사이트에 문의해 주세요.',
  busy: (until) => `요청이 몰리고 있습니다. 순번은 ${until ? `${until}까지 ` : ''}유지됩니다.`,
  retryingIn: (seconds, n) => (seconds < 1 ? '다시 연결하는 중…' : `${n}초 후 다시 시도합니다.`),
  retryNow: '지금 다시 시도',
  preOpenTitle: '곧 대기실이 열립니다',
  preOpen: (at) =>
    `${at}에 열립니다. 그 전에 오신 모든 분은 공정한 무작위 추첨으로 순번을 받습니다.`,
  opensIn: (clock) => `${clock} 후 열림`,
  cohortTitle: '아직 내 그룹의 차례가 아닙니다',
  cohortNotOpen: (at) =>
    `내 그룹은 ${at}부터 입장할 수 있습니다. 그때 다시 오시거나 이 페이지를 열어 두세요.`,
  cohortClosed: '내 그룹의 예약 기간이 끝났습니다.',
  pausedTitle: '대기열이 일시 중지되었습니다',
  paused: '지금은 입장이 멈춰 있습니다. 순번은 유지되니 이 페이지를 열어 두세요.',
  closedTitle: '대기실이 닫혔습니다',
  closed:
    '지금은 입장할 수 없습니다. 다시 열릴 경우를 위해 순번은 유지됩니다. 사이트 공지를 확인하세요.',
  admittingTitle: '내 차례입니다',
  admitting: '내 차례입니다. 연결하는 중…',
  admittedTitle: '입장했습니다',
  admitted: (until) => (until ? `${until} 전에 예약을 마쳐 주세요.` : '지금 예약을 마쳐 주세요.'),
  admissionExpiredTitle: '입장 시간이 지났습니다',
  admissionExpired: '양식을 제때 보내지 못했습니다. 입장을 다시 요청할 수 있습니다.',
  reclaim: '입장 다시 요청',
  rejectedTitle: '순번을 유지할 수 없습니다',
  rejected: (code) =>
    REJECTIONS[code] ?? '대기실이 대기표를 받아들이지 않았습니다. 다시 줄을 설 수 있습니다.',
  rejoin: '다시 줄 서기',
  bookedTitle: '예약이 완료되었습니다',
  booked: '대기 순번으로 예약을 마쳤습니다. 이 페이지를 닫으셔도 됩니다.',
  alreadyUsedTitle: '이 순번은 이미 예약에 사용되었습니다',
  alreadyUsed: '순번 하나로는 한 번만 예약할 수 있습니다. 다시 예약하려면 다시 줄을 서 주세요.',
  signInTitle: '대기열에 들어가려면 로그인해 주세요',
  signInNeeded: '이 대기실은 한 사람에게 한 자리만 드립니다. 로그인 후 줄을 서 주세요.',
  signInAgain: '로그인을 확인하지 못했습니다. 다시 로그인해 주세요. 순번은 유지됩니다.',
  signInLink: '로그인',
  titleTurn: '내 차례입니다!',
  notifyButton: '내 차례가 되면 알림 받기',
  notifyBody: '차례가 되었습니다. 페이지로 돌아가 계속하세요.',
};
