import { registerDecorator, ValidationArguments } from 'class-validator';
import { incomeSupportCombinationProblem } from '@app/domain';

/** A list of income supports whose codes make sense together (see incomeSupportCombinationProblem). */
export function IsIncomeSupportCombination() {
  return (object: object, propertyName: string | symbol) =>
    registerDecorator({
      name: 'isIncomeSupportCombination',
      target: object.constructor,
      propertyName: String(propertyName),
      options: {
        message: (args: ValidationArguments) =>
          (Array.isArray(args.value) && incomeSupportCombinationProblem(args.value.map(String))) ||
          'is not a valid combination',
      },
      validator: {
        validate: (value: unknown) =>
          !Array.isArray(value) || incomeSupportCombinationProblem(value.map(String)) === null,
      },
    });
}
